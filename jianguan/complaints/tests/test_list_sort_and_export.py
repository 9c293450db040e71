"""The complaint list (core.lists): the total, sorting, and the Excel export of exactly the filtered rows in the
order shown, with the complainant masked as on screen; an unknown sort is ignored and said."""

import datetime as dt
import io

import openpyxl

from jianguan.core.models import AuditEntry

from .factories import business, complaint, report


def _rows(response):
    assert response.status_code == 200
    ws = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    return [list(r) for r in ws.iter_rows(values_only=True)]


def test_export_holds_exactly_the_filtered_rows_as_shown(org, xh_handler, login):
    shop = business()
    a, _ = complaint(entity=shop, received_on=dt.date(2026, 3, 2))
    b, _ = complaint(entity=shop, received_on=dt.date(2026, 3, 9))
    r, _ = report(entity=shop)
    client = login(xh_handler)
    page = client.get("/workbench/complaints/?kind=complaint").content.decode()
    assert 'data-testid="list-total">2<' in page and r.number not in page
    rows = _rows(client.get("/workbench/complaints/?kind=complaint&sort=received&export=xlsx"))
    assert rows[0] == ["编号", "类型", "被投诉（举报）人", "投诉（举报）人", "类别", "处理单位", "收到日期", "状态", "期限"]
    assert [x[0] for x in rows[1:]] == [a.number, b.number]
    assert all("李消费" not in str(x[3]) for x in rows[1:])  # masked as on the page
    entry = AuditEntry.objects.filter(action="list.exported").latest("id")
    assert entry.object_id == "complaints.list" and entry.changes["rows"] == [None, 2]


def test_sort_by_unknown_column_is_ignored(org, xh_handler, login):
    complaint(entity=business())
    client = login(xh_handler)
    body = client.get("/workbench/complaints/?sort=person_phone").content.decode()
    assert 'data-testid="list-problem"' in body and 'data-testid="complaint-list"' in body


def test_another_district_exports_none_of_ours(org, xh_handler, login):
    from .factories import handler

    mine, _ = complaint(entity=business())
    rows = _rows(login(handler("wd_handler", "410403")).get("/workbench/complaints/?export=xlsx"))
    assert mine.number not in {x[0] for x in rows}
