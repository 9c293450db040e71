"""The device register's list on core.lists: total, whitelisted sorting, the due filter ordered as a work queue, the
export of exactly the filtered devices in scope, a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.core.tests.xlsx import rows
from jianguan.equipment import services
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor, vessel

pytestmark = pytest.mark.django_db


def _overdue(user, today, days):
    device = lift(actor=user, commissioned_on=today - dt.timedelta(days=900), today=today)
    services.inspection_record(actor=user, device=device, kind="periodic", body="检验所", conclusion="passed",
                               inspected_on=today - dt.timedelta(days=365 + days), today=today)
    device.refresh_from_db()
    return device


def test_the_device_list_counts_sorts_filters_and_exports_what_is_shown(org, login, django_assert_max_num_queries):
    today = timezone.localdate()
    user = supervisor()
    xh = EntityFactory(unit=OrgUnit.objects.get(code="41040201"), name="新华区甲物业公司")
    devices = [lift(actor=user, entity=xh, today=today) for _ in range(3)]
    boiler = vessel(actor=user, entity=EntityFactory(unit=OrgUnit.objects.get(code="41040301")), today=today)
    client = login(staff("tz_xh", "410402", ["equipment_supervisor"]))
    with django_assert_max_num_queries(14):
        body = client.get("/workbench/equipment/", {"sort": "-code"}).content.decode()
    assert 'data-testid="list-total">3<' in body and boiler.code not in body
    codes = sorted(d.code for d in devices)
    assert body.index(codes[2]) < body.index(codes[1]) < body.index(codes[0])  # descending by code
    more = [lift(actor=user, entity=xh, today=today) for _ in range(4)]
    with django_assert_max_num_queries(14):
        client.get("/workbench/equipment/", {"sort": "-code"})
    assert 'data-testid="list-problem"' in client.get(
        "/workbench/equipment/", {"sort": "entity__legal_rep_id_no"}).content.decode()
    r = login(user).get("/workbench/equipment/", {"category": "3100", "sort": "code", "export": "xlsx"})
    got = rows(r)
    assert got[0][:3] == ("设备代码", "类别", "使用单位") and "统一社会信用代码" in got[0]
    assert [x[0] for x in got[1:]] == sorted(d.code for d in devices + more)  # the lifts only, the vessel not
    assert AuditEntry.objects.filter(action="list.exported", object_id="equipment.devices").exists()


def test_the_overdue_filter_puts_the_longest_overdue_first(org, login):
    today = timezone.localdate()
    user = supervisor()
    recent, oldest = _overdue(user, today, 10), _overdue(user, today, 60)
    body = login(user).get("/workbench/equipment/", {"due": "overdue"}).content.decode()
    assert "检验日期最早的在前" in body and 'data-testid="list-total">2<' in body
    assert body.index(oldest.code) < body.index(recent.code)
