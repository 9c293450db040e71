"""Excel refuses / \\ ? * [ ] : in a sheet title and more than 31 characters: every export and template made from a
list's or a register's title goes through ``lists.sheet_title`` (the register export used to crash on a "/"). The
register export streams from a temporary file, and text starting with "=" stays text, never a formula."""

import io

import openpyxl
import pytest

from jianguan.coldchain.registers import BATCHES
from jianguan.coldchain.tests.factories import batch, supervisor
from jianguan.core import lists

FORBIDDEN = set('/\\?*[]:')


@pytest.mark.parametrize("text", ["检验/检测报告", "a\\b?c*d[e]f:g", "'引号'", "进口冷链食品批次" * 6, "", "///"])
def test_a_sheet_title_is_always_one_excel_accepts(text):
    title = lists.sheet_title(text)
    assert title and len(title) <= 31
    assert not FORBIDDEN & set(title)
    assert not title.startswith("'") and not title.endswith("'")
    openpyxl.Workbook().create_sheet(title)  # openpyxl raises ValueError on a title Excel refuses


def test_the_full_width_twin_keeps_the_title_legible():
    assert lists.sheet_title("检验/检测[CMA]") == "检验／检测【CMA】"


@pytest.mark.django_db
def test_a_register_whose_title_has_a_slash_exports_and_gives_its_template(org, login, monkeypatch):
    user = supervisor()
    batch(actor=user, product="=HYPERLINK(\"http://x\")")
    monkeypatch.setattr(BATCHES, "title", "进口/冷链[食品]批次:台账?")
    client = login(user)
    response = client.get("/workbench/coldchain/batches/export.xlsx")
    assert response.status_code == 200 and response.streaming
    body = b"".join(response.streaming_content)
    book = openpyxl.load_workbook(io.BytesIO(body))
    assert book.active.title == "进口／冷链【食品】批次：台账？"
    got = list(book.active.iter_rows(values_only=True))
    product = got[0].index("品名")
    assert got[1][product] == "=HYPERLINK(\"http://x\")"
    assert book.active.cell(row=2, column=product + 1).data_type == "s"  # text, not a formula
    template = client.get("/workbench/coldchain/batches/template.xlsx")
    assert template.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(template.content)).worksheets[0].title == "进口／冷链【食品】批次：台账？"


def test_a_list_whose_title_has_a_slash_exports():
    spec = lists.Spec(key="t", title="检验/检测机构", columns=(lists.Column("name", "名称"),), default_sort="name",
                      export_permission="")
    out = io.BytesIO()
    assert lists.write_xlsx(spec, [[{"name": "甲"}, {"name": "=1+1"}]], out) == 2
    sheet = openpyxl.load_workbook(io.BytesIO(out.getvalue())).active
    assert sheet.title == "检验／检测机构"
    assert list(sheet.iter_rows(values_only=True)) == [("名称",), ("甲",), ("=1+1",)]
