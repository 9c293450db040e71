"""The staff list on core.lists (#15): the total, by unit and number by default and a sort by a column, a search and
a unit filter (with the units below it), the export of exactly the filtered rows with the columns shown (read from
the streamed file, roles and credential included), a bounded number of queries however many people."""

from __future__ import annotations

from jianguan.core.models import AuditEntry
from jianguan.core.tests.factories import staff
from jianguan.core.tests.xlsx import rows

URL = "/workbench/staff/"


def test_staff_are_counted_sorted_filtered_and_exported(sysadmin, login, django_assert_max_num_queries):
    staff("xh_a", "410402", ["case_officer"], name="张新华", staff_code="X002")
    staff("xh_b", "41040201", ["inspector"], name="李西高皇", staff_code="X001", credential="expired")
    staff("wd_a", "410403", ["inspector"], name="王卫东", staff_code="W001", credential=False)
    client = login(sysadmin)
    client.get(URL)
    with django_assert_max_num_queries(14):
        body = client.get(URL).content.decode()
    assert 'data-testid="list-total">4<' in body and "按单位和工号" in body
    # 新华区局 (410402) before its station 西高皇 (41040201), both before 卫东区 (410403)
    assert body.index("张新华") < body.index("李西高皇") < body.index("王卫东")
    body = client.get(URL, {"sort": "staff_code"}).content.decode()
    assert body.index("李西高皇") < body.index("张新华") and body.index("王卫东") < body.index("李西高皇")
    body = client.get(URL, {"unit": "410402"}).content.decode()
    assert 'data-testid="list-total">2<' in body and "王卫东" not in body
    got = rows(client.get(URL, {"export": "xlsx", "unit": "410402", "sort": "-staff_code"}))
    assert got[0] == ("工号", "姓名", "用户名", "单位", "角色", "执法证", "执法证有效期至", "状态")
    assert [r[1] for r in got[1:]] == ["张新华", "李西高皇"]
    assert got[1][4] == "执法办案人员" and got[1][5].endswith("（有效）") and got[2][5].endswith("（已过期）")
    assert got[1][7] == "启用"
    assert AuditEntry.objects.filter(action="list.exported", object_id="core.staff").exists()
    for i in range(10):
        staff(f"bulk{i}", "410402", ["inspector", "case_officer"], staff_code=f"B{i:03d}")
    with django_assert_max_num_queries(14):
        assert 'data-testid="list-total">14<' in client.get(URL).content.decode()
