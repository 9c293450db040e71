"""检验到期与超期 on core.lists (#15): a work queue — the total, the longest overdue first, sorting on its columns,
filters (which list, unit, code/user/place), the export of exactly the filtered rows read back from the file with the
days overdue and what was done (责令改正), audited; every page of it, not only the first 100; queries that do not grow
with the devices (what was done read once per page)."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.tests.xlsx import rows
from jianguan.equipment import services
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db
URL = "/workbench/equipment/due/"


def _overdue(user, today, days, unit="41040201", name=None):
    entity = EntityFactory(unit=OrgUnit.objects.get(code=unit), **({"name": name} if name else {}))
    device = lift(actor=user, entity=entity, commissioned_on=today - dt.timedelta(days=900), today=today)
    services.inspection_record(actor=user, device=device, kind="periodic", body="检验所", conclusion="passed",
                               inspected_on=today - dt.timedelta(days=365 + days), today=today)
    device.refresh_from_db()
    return device


def codes(body: str, devices) -> list[str]:
    return sorted((d.code for d in devices if d.code in body), key=body.index)


def test_the_due_list_counts_sorts_filters_and_exports(org, login):
    today = timezone.localdate()
    user = supervisor()
    d10 = _overdue(user, today, 10, name="平顶山市甲电梯用户")
    d40 = _overdue(user, today, 40)
    d25 = _overdue(user, today, 25, unit="41040202")
    fresh = lift(actor=user, commissioned_on=today - dt.timedelta(days=100), today=today)
    order = services.order_issue(actor=user, device=d40, today=today)
    client = login(user)
    devices = [d10, d40, d25, fresh]
    body = client.get(URL, {"which": "overdue"}).content.decode()
    assert 'data-testid="list-total">3<' in body and "下次检验日期最早的在前" in body
    assert codes(body, devices) == [d40.code, d25.code, d10.code]
    assert codes(client.get(URL, {"which": "overdue", "sort": "-next_due"}).content.decode(), devices) == [
        d10.code, d25.code, d40.code]
    assert 'data-testid="list-problem"' in client.get(URL, {"which": "overdue", "sort": "status"}).content.decode()
    assert codes(client.get(URL, {"which": "overdue", "unit": "41040202"}).content.decode(), devices) == [d25.code]
    assert codes(client.get(URL, {"which": "overdue", "q": "甲电梯"}).content.decode(), devices) == [d10.code]
    got = rows(client.get(URL, {"which": "overdue", "unit": "41040201", "export": "xlsx"}))
    assert got[0] == ("设备代码", "类别", "使用单位", "统一社会信用代码", "地点", "监管单位", "下次检验", "超期天数",
                      "申报日期", "处置")
    assert [r[0] for r in got[1:]] == [d40.code, d10.code]  # the unit filter holds in the file too
    assert got[1][7] == 40 and got[1][9] == f"已责令改正 {order.number}" and got[2][9] is None
    entry = AuditEntry.objects.filter(action="list.exported", object_id="equipment.due").get()
    assert entry.changes["filters"][1] == {"which": "overdue", "unit": "41040201"}


def test_the_due_list_pages_every_device_in_a_fixed_number_of_queries(org, login, django_assert_max_num_queries):
    today = timezone.localdate()
    user = supervisor()
    first = [_overdue(user, today, 10 + i) for i in range(3)]
    services.order_issue(actor=user, device=first[0], today=today)
    client = login(user)
    client.get(URL)
    with django_assert_max_num_queries(25) as few:
        client.get(URL)
    with django_assert_max_num_queries(25) as few_export:
        assert len(rows(client.get(URL, {"export": "xlsx"}))) == 4
    more = [_overdue(user, today, 50 + i) for i in range(6)]
    for d in more[:3]:
        services.order_issue(actor=user, device=d, today=today)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert 'data-testid="list-total">9<' in client.get(URL).content.decode()
    with django_assert_max_num_queries(len(few_export.captured_queries)):
        assert len(rows(client.get(URL, {"export": "xlsx"}))) == 10
