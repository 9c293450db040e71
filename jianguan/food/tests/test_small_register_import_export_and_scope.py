"""The 三小 register: all-or-nothing Excel import with row/column errors, export, scoped list (no N+1), the
workbench renewal/cancellation pages and the API."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from jianguan.food.models import SmallRegistration

from .factories import county_clerk, small, supervisor

pytestmark = pytest.mark.django_db

HEAD = ["登记类别", "名称（字号）", "经营者", "生产经营场所/摊点位置", "生产经营品种", "登记机关", "发证日期",
        "统一社会信用代码"]


def _xlsx(rows) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(HEAD)
    for r in rows:
        ws.append(r)
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "smalls.xlsx"
    return buf


def test_import_is_all_or_nothing_and_names_row_and_column(org, login):
    client = login(supervisor())
    url = reverse("food:smalls_import")
    bad = _xlsx([["小经营店登记卡", "甲面馆", "甲某", "中兴路 1 号", "热食", "410402", "2026-12-01", ""],
                 ["小摊点登记卡", "乙小吃", "乙某", "鹰城广场东", "小吃", "41040201", "2026-12-01", ""],
                 ["小卖部", "丙店", "丙某", "建设路 2 号", "预包装食品", "410403", "2026-12-01", ""]])
    resp = client.post(url, {"file": bad})
    text = resp.content.decode()
    assert SmallRegistration.objects.count() == 0
    assert "第 3 行" in text and "登记机关" in text and "第 4 行" in text and "登记类别" in text
    good = _xlsx([["小经营店登记卡", "甲面馆", "甲某", "中兴路 1 号", "热食", "410402", "2026-12-01", ""],
                  ["小摊点登记卡", "乙小吃", "乙某", "鹰城广场东", "小吃", "新华区市场监督管理局", "2026-12-01", ""]])
    client.post(url, {"file": good})
    assert sorted(SmallRegistration.objects.values_list("number", flat=True)) == [
        "豫食店410402202600001", "豫食摊410402202600001"]
    export = client.get(reverse("food:smalls_export"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(export.streaming_content))).active  # streamed
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][:8] == HEAD and {v[1] for v in values[1:]} == {"甲面馆", "乙小吃"}
    assert {v[3] for v in values[1:]} == {"中兴路 1 号", "鹰城广场东"}  # the encrypted place, exported in clear (#14)


def test_list_is_scoped_by_county_and_has_no_n_plus_one(org, login):
    city = supervisor()
    for _ in range(3):
        small(actor=city, county="410402", entity=None)
    other = small(actor=city, county="410403")
    client = login(county_clerk())
    url = reverse("food:smalls_list")
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for _ in range(5):
        small(actor=city, county="410402")
    with CaptureQueriesContext(connection) as many:
        resp = client.get(url)
    text = resp.content.decode()
    assert len(many.captured_queries) == len(few.captured_queries)
    assert "豫食店410402202600008" in text and other.number not in text
    assert client.get(reverse("food:small", args=[other.pk])).status_code == 404


def test_renew_and_cancel_pages_and_api(org, login, client):
    city = supervisor()
    reg = small(actor=city, kind="stall", issued_on=dt.date.today() - dt.timedelta(days=340))
    web = login(county_clerk())
    page = web.get(reverse("food:small", args=[reg.pk])).content.decode()
    assert reg.number in page and "延续一个有效期" in page
    until = reg.valid_until
    web.post(reverse("food:small_renew", args=[reg.pk]), {"expected_until": until.isoformat()})
    resp = web.post(reverse("food:small_renew", args=[reg.pk]), {"expected_until": until.isoformat()}, follow=True)
    assert "未重复办理" in resp.content.decode()
    reg.refresh_from_db()
    assert reg.renewals == 1 and reg.valid_until > until
    viewer = county_clerk("sp_viewer")
    viewer.groups.clear()
    from django.contrib.auth.models import Group
    viewer.groups.add(Group.objects.get(name="department_head"))
    other = login(viewer)
    assert other.post(reverse("food:small_cancel", args=[reg.pk]), {"reason": "x"}).status_code in (403, 404)
    client.force_login(city)
    api = client.post(f"/api/v1/food/smalls/{reg.pk}/cancel", {"reason": "经营者申请注销"},
                      content_type="application/json")
    assert api.status_code == 200 and api.json()["status"] == "cancelled"
    listed = client.get("/api/v1/food/smalls").json()
    assert any(r["id"] == reg.pk for r in listed["items"])
