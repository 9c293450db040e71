"""The due and overdue lists per unit, in scope only; an overdue device goes to enforcement as a lead in one click
(twice clicked: one lead) with its history attached; list pages read in a fixed number of queries."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.tests.factories import staff
from jianguan.enforcement.models import Lead
from jianguan.equipment import selectors, services
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def _overdue_lift(actor, today, unit="41040201", days=40):
    entity = EntityFactory(unit=__import__("jianguan.core.models", fromlist=["OrgUnit"]).OrgUnit.objects.get(code=unit))
    device = lift(actor=actor, entity=entity, commissioned_on=today - dt.timedelta(days=800), today=today)
    services.inspection_record(actor=actor, device=device, kind="periodic", body="检验所", conclusion="passed",
                               inspected_on=today - dt.timedelta(days=365 + days), today=today)
    device.refresh_from_db()
    return device


def test_the_overdue_list_shows_the_units_overdue_devices_only_in_scope(org, login, today):
    user = supervisor()
    xh = _overdue_lift(user, today, "41040201")
    wd = _overdue_lift(user, today, "41040301")
    fresh = lift(actor=user, commissioned_on=today - dt.timedelta(days=100), today=today)
    district = staff("xh_head_t", "410402", ["department_head"])
    body = login(district).get("/workbench/equipment/due/?which=overdue").content.decode()
    assert xh.code in body and wd.code not in body and fresh.code not in body
    assert "超 40 天" in body and 'data-testid="list-total">1<' in body
    # its export is the device list's, filtered the same way: the file holds the one overdue lift in scope
    from jianguan.core.tests.xlsx import rows

    export = login(supervisor("tz_xh_t", "410402")).get(
        "/workbench/equipment/", {"due": "overdue", "sort": "next_due", "export": "xlsx"})
    assert [r[0] for r in rows(export)[1:]] == [xh.code]
    other = staff("wd_head_t", "410403", ["department_head"])
    assert login(other).get(f"/workbench/equipment/{xh.pk}/").status_code == 404


def test_the_application_list_holds_devices_past_the_one_month_date_but_not_yet_due(org, today):
    user = supervisor()
    device = lift(actor=user, commissioned_on=today - dt.timedelta(days=365 - 10), today=today)
    rows, total = selectors.due_list(user, "apply", today=today)
    assert [r["code"] for r in rows] == [device.code] and total == 1
    assert selectors.due_list(user, "overdue", today=today)[1] == 0


def test_one_click_hands_an_overdue_device_to_enforcement_with_its_history(org, login, today):
    user = supervisor()
    device = _overdue_lift(user, today)
    client = login(user)
    response = client.post(f"/workbench/equipment/{device.pk}/overdue/")
    assert response.status_code == 302
    client.post(f"/workbench/equipment/{device.pk}/overdue/")
    lead = Lead.objects.get()
    assert lead.entity_id == device.entity_id and lead.unit_id == device.unit_id
    assert device.code in lead.description and "第四十条第一款" in lead.description
    assert "第八十三条第（四）项" in lead.description
    assert "检验：" in lead.description and "状态：" in lead.description
    assert device.overdue_actions.count() == 1
    body = client.get(f"/workbench/equipment/{device.pk}/").content.decode()
    assert f"线索 {lead.pk}" in body


def test_a_device_that_is_not_overdue_is_not_handed_over(org, login, today):
    user = supervisor()
    device = lift(actor=user, commissioned_on=today - dt.timedelta(days=100), today=today)
    login(user).post(f"/workbench/equipment/{device.pk}/overdue/")
    assert not Lead.objects.exists()


def test_people_without_the_permission_cannot_act_or_see(org, login, today):
    user = supervisor()
    device = _overdue_lift(user, today)
    inspector = staff("insp_t", "41040201", ["inspector"])
    client = login(inspector)
    assert client.get("/workbench/equipment/").status_code == 403
    assert client.post(f"/workbench/equipment/{device.pk}/overdue/").status_code == 403
    leader = staff("leader_t", "410400", ["bureau_leader"])
    assert login(leader).post(f"/workbench/equipment/{device.pk}/overdue/").status_code == 403


def test_list_pages_read_in_a_fixed_number_of_queries(org, login, today, django_assert_max_num_queries):
    user = supervisor()
    for _ in range(3):
        _overdue_lift(user, today)
    client = login(user)
    for url in ("/workbench/equipment/", "/workbench/equipment/due/?which=overdue", "/workbench/equipment/hazards/",
                "/workbench/equipment/certificates/"):
        with django_assert_max_num_queries(18):
            assert client.get(url).status_code == 200
    for _ in range(5):
        _overdue_lift(user, today)
    with django_assert_max_num_queries(18):
        client.get("/workbench/equipment/due/?which=overdue")
    with django_assert_max_num_queries(18):
        client.get("/workbench/equipment/")


def test_the_home_card_counts_and_the_menu_appear_for_the_supervisor(org, login, today):
    user = supervisor()
    _overdue_lift(user, today)
    body = login(user).get("/workbench/").content.decode()
    assert 'data-testid="equipment-due"' in body and "超期未检 1 台" in body
    assert "/workbench/equipment/due/" in body
    plain = staff("registrar_t", "410402", ["registrar"])
    assert 'data-testid="equipment-due"' not in login(plain).get("/workbench/").content.decode()


def test_the_entitys_page_lists_its_devices(org, login, today):
    user = supervisor()
    device = _overdue_lift(user, today)
    body = login(user).get(f"/workbench/registry/entities/{device.entity.uscc}/").content.decode()
    assert 'data-testid="entity-devices"' in body and device.code in body and "超期" in body


def test_registering_through_the_form_names_the_bad_field(org, login, today):
    user = supervisor()
    entity = EntityFactory()
    client = login(user)
    data = {"code": "3100410402026000001", "category": "3100", "uscc": entity.uscc, "location": "建设路1号",
            "commissioned_on": (today + dt.timedelta(days=3)).isoformat(), "p_rated_load": "1000", "p_rated_speed": "1"}
    body = client.post("/workbench/equipment/new/", data).content.decode()
    assert "晚于今天，不可能" in body
    data["commissioned_on"] = "2024-01-01"
    response = client.post("/workbench/equipment/new/", data)
    assert response.status_code == 302
