"""Import of the 12315 platform's Excel export: all or nothing, errors by row and column, duplicates skipped by
the 12315 number, look-alikes from other channels flagged."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from jianguan.complaints import importer
from jianguan.complaints.models import Channel, Complaint
from jianguan.core.errors import ValidationFailed

from .factories import business, complaint

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)
HEADER = [c.header for c in importer.COLUMNS]


def xlsx(rows, header=HEADER) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def row(no="1001", kind="投诉", name="赵消费", phone="13800000011", entity="平顶山市某超市", uscc="",
        division="新华区", category="食品", text="牛奶变质", amount=12.5, when="2026-06-01 09:30"):
    return [no, when, kind, name, phone, entity, uscc, "平顶山市新华区", division, category, text, amount, "退款"]


def test_a_good_export_is_imported_and_routed(org, xh_handler):
    shop = business("41040202")
    data = xlsx([row("1001", uscc=shop.uscc, entity=shop.name), row("1002", kind="举报", name="", phone="",
                                                                    division="卫东区", text="无照经营")])
    result = importer.import_12315(actor=xh_handler, filename="export.xlsx", data=data, today=TODAY)
    assert len(result.created) == 2
    first, second = Complaint.objects.order_by("id")
    assert first.channel == Channel.PLATFORM and first.national_no == "1001" and first.entity == shop
    assert first.unit.code == "41040202" and first.received_on == dt.date(2026, 6, 1)
    assert second.kind == "report" and second.anonymous and second.unit.code == "410403"


def test_reimporting_skips_known_numbers_and_flags_lookalikes(org, xh_handler):
    complaint(entity_name="平顶山市某超市", person_phone="13800000011", description="牛奶变质",
              received_on=dt.date(2026, 5, 30))
    data = xlsx([row("1001")])
    first = importer.import_12315(actor=xh_handler, filename="a.xlsx", data=data, today=TODAY)
    assert len(first.flagged) == 1  # same phone, business and text as the portal complaint of 30 May
    second = importer.import_12315(actor=xh_handler, filename="a.xlsx", data=data, today=TODAY)
    assert (second.created, second.skipped) == ([], ["1001"])
    assert Complaint.objects.count() == 2


def test_a_malformed_export_names_rows_and_columns_and_writes_nothing(org, xh_handler):
    data = xlsx([row("2001"), row("2002", amount="十二元", when="昨天"), row("2001", kind="建议", phone="123")])
    with pytest.raises(ValidationFailed) as exc:
        importer.import_12315(actor=xh_handler, filename="bad.xlsx", data=data, today=TODAY)
    got = {(e["row"], e["column"]) for e in exc.value.details}
    assert got == {(3, "涉及金额"), (3, "登记时间"), (4, "投诉/举报编号"), (4, "类型"), (4, "联系电话")}
    assert "未导入任何数据" in exc.value.message
    assert not Complaint.objects.exists()


def test_missing_columns_and_non_excel_files_are_refused(org, xh_handler):
    with pytest.raises(ValidationFailed, match="缺少必需的列：投诉内容"):
        importer.import_12315(actor=xh_handler, filename="x.xlsx", today=TODAY,
                              data=xlsx([row()[:10]], header=HEADER[:10]))
    with pytest.raises(ValidationFailed, match="不是有效的 Excel"):
        importer.import_12315(actor=xh_handler, filename="x.xlsx", data=b"MZ\x90 not excel", today=TODAY)
    assert not Complaint.objects.exists()


def test_the_import_page_lists_errors_and_offers_the_template(org, xh_handler, login):
    client = login(xh_handler)
    page = client.get("/workbench/complaints/import/").content.decode()
    assert "被投诉人统一社会信用代码" in page
    template = client.get("/workbench/complaints/import/template.xlsx")
    assert [c.value for c in load_workbook(io.BytesIO(template.content)).active[1]] == HEADER
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = SimpleUploadedFile("bad.xlsx", xlsx([row(amount="abc")]))
    body = client.post("/workbench/complaints/import/", {"file": bad}).content.decode()
    assert "第 2 行" in body and "涉及金额" in body
    assert not Complaint.objects.exists()
