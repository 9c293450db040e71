"""A cold store with many movements a day imports its own Excel file on the portal (enterprise account): all of it
or none, each error by row and column — a movement out of a store the batch never entered, more out than held, a row
naming another holder; the template and the holder's own export download; a person's account may not use it."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from jianguan.coldchain.models import Movement
from jianguan.credit.tests.factories import enterprise_account
from jianguan.registry.tests.factories import EntityFactory

from .factories import batch, hand_over, supervisor

pytestmark = pytest.mark.django_db
URL = "/coldchain/movements/import/"


def _xlsx(head, rows) -> SimpleUploadedFile:
    wb = Workbook()
    ws = wb.active
    ws.append(head)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return SimpleUploadedFile("movements.xlsx", out.getvalue())


HEAD = ["追溯码", "方向", "数量", "日期", "来源/去向单位统一社会信用代码"]


@pytest.fixture
def store_with_stock(org):
    staff = supervisor()
    importer, store, shop = EntityFactory(), EntityFactory(name="平顶山某冷库有限公司"), EntityFactory()
    b = batch(actor=staff, importer=importer, quantity="1000")
    hand_over(actor=staff, batch=b, src=importer, dst=store, quantity="300")  # the store holds 300 from 11/3
    return b, store, shop


def test_a_bad_file_writes_nothing_and_names_each_row_and_column(store_with_stock, client):
    b, store, shop = store_with_stock
    client.force_login(enterprise_account(store))
    before = Movement.objects.count()
    resp = client.post(URL, {"file": _xlsx(HEAD, [
        [b.tracing_code, "出库", 200, "2026-11-04", shop.uscc],       # row 2: fine (300 held)
        [b.tracing_code, "出库", 150, "2026-11-05", shop.uscc],       # row 3: only 100 left
        ["CC-NONE", "入库", 10, "2026-11-05", ""],                     # row 4: unknown tracing code
    ])})
    assert resp.status_code == 422
    body = resp.content.decode()
    assert "第 3 行" in body and "超过 平顶山某冷库有限公司 现有数量 100" in body
    assert "第 4 行" in body and "追溯码 CC-NONE 未登记" in body
    assert Movement.objects.count() == before

    other = EntityFactory()
    resp = client.post(URL, {"file": _xlsx(["持有单位统一社会信用代码", *HEAD], [
        [other.uscc, b.tracing_code, "出库", 10, "2026-11-04", shop.uscc]])})
    assert resp.status_code == 422 and "不能代其他单位登记" in resp.content.decode()
    assert Movement.objects.count() == before


def test_a_shop_cannot_send_out_what_it_never_received(store_with_stock, client):
    b, _store, shop = store_with_stock
    client.force_login(enterprise_account(shop, username="ent_shop"))
    resp = client.post(URL, {"file": _xlsx(HEAD, [[b.tracing_code, "出库", 1, "2026-11-04", ""]])})
    assert resp.status_code == 422 and "从未进入" in resp.content.decode()
    assert not Movement.objects.filter(holder=shop).exists()


def test_a_good_file_records_every_row_and_the_template_and_export_download(store_with_stock, client):
    b, store, shop = store_with_stock
    client.force_login(enterprise_account(store))
    resp = client.post(URL, {"file": _xlsx(["持有单位统一社会信用代码", *HEAD], [
        [store.uscc, b.tracing_code, "出库", 200, "2026-11-04", shop.uscc],
        ["", b.tracing_code, "out", 100, "2026-11-05", ""],
    ])})
    assert resp.status_code == 200 and "已导入 2 条" in resp.content.decode()
    assert sorted(Movement.objects.filter(holder=store, direction="out").values_list("quantity", flat=True)) == [
        100, 200]
    assert "用 Excel 批量登记" in client.get("/coldchain/movements/").content.decode()

    template = load_workbook(io.BytesIO(client.get(URL + "template.xlsx").content))
    assert [c.value for c in template.worksheets[0][1]][:3] == ["追溯码", "持有单位统一社会信用代码", "方向"]
    export = load_workbook(io.BytesIO(client.get("/coldchain/movements/export.xlsx").content))
    rows = list(export.worksheets[0].iter_rows(values_only=True))
    assert len(rows) == 1 + 3  # header, the 300 in, the two outs
    assert {r[1] for r in rows[1:]} == {store.uscc}


def test_only_an_enterprise_account_may_import(store_with_stock, client):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.create_user("citizen_x", password="x")
    client.force_login(person)
    assert client.get(URL).status_code == 403
    assert client.get("/coldchain/movements/export.xlsx").status_code == 403
