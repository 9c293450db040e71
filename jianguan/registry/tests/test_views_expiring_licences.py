"""Expiring permits: valid licences in scope ending within the rule's days, overdue included; the home card."""

import datetime as dt

import pytest
from django.test import RequestFactory
from django.utils import timezone

from jianguan.core.models import OrgUnit, RuleValue
from jianguan.registry.home import home_cards

from .factories import EntityFactory, LicenceFactory, LicenceKindFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def licences(org):
    LicenceKindFactory()
    today = timezone.localdate()
    entity = EntityFactory(name="鹰城食品店")
    days = dt.timedelta
    return {
        "soon": LicenceFactory(entity=entity, number="JY14104020000101", valid_until=today + days(days=10)),
        "edge": LicenceFactory(entity=entity, number="JY14104020000102", valid_until=today + days(days=60)),
        "later": LicenceFactory(entity=entity, number="JY14104020000103", valid_until=today + days(days=61)),
        "overdue": LicenceFactory(entity=entity, number="JY14104020000104", valid_until=today - days(days=5)),
        "revoked": LicenceFactory(
            entity=entity, number="JY14104020000105", valid_until=today + days(days=3), status="revoked"
        ),
        "open_ended": LicenceFactory(entity=entity, number="JY14104020000106", valid_until=None),
        "closed_entity": LicenceFactory(
            entity=EntityFactory(status="deregistered"), number="JY14104020000107", valid_until=today + days(days=3)
        ),
        "other_district": LicenceFactory(
            entity=EntityFactory(unit=OrgUnit.objects.get(code="41040301")),
            number="JY14104030000108",
            valid_until=today + days(days=3),
        ),
    }


def numbers(response) -> list[str]:
    return [row["licence"].number for row in response.context["rows"]]


def test_lists_expiring_and_overdue_soonest_first(login, district_officer, licences):
    r = login(district_officer).get("/workbench/registry/licences/expiring/")
    assert numbers(r) == ["JY14104020000104", "JY14104020000101", "JY14104020000102"]
    body = r.content.decode()
    assert "已过期 5 天" in body and "剩 10 天" in body and "鹰城食品店" in body


def test_the_window_follows_the_rule(login, district_officer, licences):
    RuleValue.objects.create(key="registry.licence_expiry_warning_days", value=61, effective_from=dt.date(2000, 1, 1))
    r = login(district_officer).get("/workbench/registry/licences/expiring/")
    assert "JY14104020000103" in numbers(r)


def test_city_sees_every_district(login, city_leader, licences):
    assert "JY14104030000108" in numbers(login(city_leader).get("/workbench/registry/licences/expiring/"))


def test_home_card_counts_and_previews(district_officer, licences):
    request = RequestFactory().get("/workbench/")
    request.user = district_officer
    (card,) = home_cards(request)
    assert card["template"] == "registry/home_expiring.html"
    assert card["expiring_total"] == 3 and card["expiring_overdue"] == 1 and card["expiring_days"] == 60
    assert [row["licence"].number for row in card["expiring_preview"]][0] == "JY14104020000104"


def test_home_card_template_renders(district_officer, licences):
    from django.template.loader import render_to_string

    request = RequestFactory().get("/workbench/")
    request.user = district_officer
    (card,) = home_cards(request)
    html = render_to_string(card["template"], card, request=request)
    assert "许可证到期提醒" in html and "其中" in html and "/workbench/registry/licences/expiring/" in html


def test_home_card_counts_past_the_cap_are_estimates_on_postgresql(district_officer, licences, monkeypatch):
    """Past core.lists.EXACT_COUNT_UP_TO the card shows the planner's estimate (约) instead of counting millions of
    permits on every home page (#23); SQLite counts exactly."""
    from django.db import connection
    from django.template.loader import render_to_string

    from jianguan.core import lists

    monkeypatch.setattr(lists, "EXACT_COUNT_UP_TO", 2)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE registry_licence")
    request = RequestFactory().get("/workbench/")
    request.user = district_officer
    (card,) = home_cards(request)
    html = render_to_string(card["template"], card, request=request)
    assert card["expiring_overdue"] == 1 and not card["expiring_overdue_approximate"]  # under the cap: exact
    if connection.vendor == "postgresql":
        assert card["expiring_total_approximate"] and card["expiring_total"] >= 3
        assert card["expiring_total_text"] == f"约 {card['expiring_total']:,}" and card["expiring_total_text"] in html
    else:
        assert card["expiring_total"] == 3 and not card["expiring_total_approximate"] and "约" not in html


def test_no_card_without_the_permission(sysadmin):
    request = RequestFactory().get("/workbench/")
    request.user = sysadmin
    assert home_cards(request) == []



def test_the_workbench_home_shows_the_expiring_card_to_those_who_may_see_licences(login, org, sysadmin):
    from jianguan.core.tests.factories import staff

    registrar = staff("home_registrar", "41040201", ["registrar"])
    assert 'data-testid="home-expiring"' in login(registrar).get("/workbench/").content.decode()
    # The system administrator has no business data, so no licence card.
    assert 'data-testid="home-expiring"' not in login(sysadmin).get("/workbench/").content.decode()


def test_the_queue_counts_sorts_filters_and_exports_what_is_shown(login, district_officer, licences,
                                                                  django_assert_max_num_queries):
    from jianguan.core.models import AuditEntry
    from jianguan.core.tests.xlsx import rows

    client = login(district_officer)
    client.get("/workbench/registry/licences/expiring/")
    with django_assert_max_num_queries(16):
        r = client.get("/workbench/registry/licences/expiring/")
    body = r.content.decode()
    assert 'data-testid="list-total">3<' in body and "有效期最早到的在前" in body
    assert numbers(client.get("/workbench/registry/licences/expiring/?sort=-valid_until")) == [
        "JY14104020000102", "JY14104020000101", "JY14104020000104"]
    assert numbers(client.get("/workbench/registry/licences/expiring/?overdue=1")) == ["JY14104020000104"]
    assert numbers(client.get("/workbench/registry/licences/expiring/?q=0102")) == ["JY14104020000102"]
    for i in range(5):  # more rows, the same queries
        LicenceFactory(entity=licences["soon"].entity, number=f"JY1410402000020{i}",
                       valid_until=timezone.localdate() + dt.timedelta(days=i))
    with django_assert_max_num_queries(16):
        client.get("/workbench/registry/licences/expiring/")
    got = rows(client.get("/workbench/registry/licences/expiring/?export=xlsx&sort=number&q=00001"))
    assert got[0][:4] == ("有效期至", "剩余天数", "许可种类", "编号")
    assert [r[3] for r in got[1:]] == ["JY14104020000101", "JY14104020000102", "JY14104020000104"]
    assert got[1][1] == 10 and got[1][5] == licences["soon"].entity.uscc
    assert AuditEntry.objects.filter(action="list.exported", object_id="registry.licences_expiring").exists()


def test_the_expiring_permits_index_carries_the_entity():
    """The scoped count joins the entity from the index alone (an index-only scan on PostgreSQL, #23)."""
    from django.db import connection

    with connection.cursor() as cur:
        constraints = connection.introspection.get_constraints(cur, "registry_licence")
    assert constraints["licence_status_until_entity"]["columns"] == ["status", "valid_until", "entity_id"]
    assert "licence_status_until" not in constraints
