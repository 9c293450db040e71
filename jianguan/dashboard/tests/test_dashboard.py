"""The leader's dashboard: scoped figures, each linked to its list, computed at most once per freshness window
(and stamped with when), a one-page print version, and leaders landing on it after login."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jianguan.complaints.tests.factories import business
from jianguan.core.models import OrgUnit
from jianguan.core.scope import EVERYTHING
from jianguan.core.sweep import run
from jianguan.core.tests.factories import staff
from jianguan.dashboard import services
from jianguan.dashboard.models import Snapshot
from jianguan.registry.models import EntityKind
from jianguan.workplan import metrics

pytestmark = pytest.mark.django_db


@pytest.fixture
def shops(org):
    business(unit="41040201")
    business(unit="41040202", kind=EntityKind.INDIVIDUAL)
    business(unit="41040301")


def test_leader_sees_entities_rolled_up_by_district_each_linked_to_its_list(login, city_leader, shops):
    page = login(city_leader).get(reverse("dashboard:index"))
    assert page.status_code == 200
    data = page.context["charts"]["entities"]
    by_unit = {r["label"]: r for r in data["by_unit"]}
    assert by_unit["新华区局"]["value"] == 2 and by_unit["卫东区局"]["value"] == 1
    assert by_unit["新华区局"]["url"] == reverse("registry:entity_list") + "?unit=410402&status=active"
    assert data["total"] == 3
    html = page.content.decode()
    assert 'data-testid="stamp-entities"' in html and "统计于" in html


def test_district_head_sees_only_the_district_split_by_station(login, shops):
    head = staff("xh_head_d", "410402", ["department_head"], credential=False)
    data = login(head).get(reverse("dashboard:index")).context["charts"]["entities"]
    assert data["total"] == 2
    assert {r["label"] for r in data["by_unit"]} == {"西高皇所", "焦店所"}


def test_a_warm_dashboard_is_a_few_queries(login, city_leader, shops, django_assert_max_num_queries):
    client = login(city_leader)
    client.get(reverse("dashboard:index"))
    with django_assert_max_num_queries(20):
        assert client.get(reverse("dashboard:index")).status_code == 200


def test_a_snapshot_is_reused_until_older_than_the_rule_then_recomputed(shops):
    today = timezone.localdate()
    first = {f.key: f for f in services.figures(EVERYTHING, today=today)}
    assert not first["entities"].cached and first["entities"].data["total"] == 3
    business(unit="41040301")
    again = {f.key: f for f in services.figures(EVERYTHING, today=today)}
    assert again["entities"].cached and again["entities"].data["total"] == 3
    Snapshot.objects.update(computed_at=timezone.now() - dt.timedelta(minutes=11))
    later = {f.key: f for f in services.figures(EVERYTHING, today=today)}
    assert not later["entities"].cached and later["entities"].data["total"] == 4


def test_a_metric_registered_by_a_sector_app_appears_as_a_tile_with_its_link(login, city_leader, org):
    def devices(ctx):
        return metrics.count(42)

    metrics.register("equipment.test_devices", "在用特种设备（台）", devices, link=lambda ctx: "/workbench/x/")
    try:
        html = login(city_leader).get(reverse("dashboard:index")).content.decode()
    finally:
        metrics.METRICS.pop("equipment.test_devices")
    assert 'data-testid="kpi-equipment.test_devices"' in html and 'href="/workbench/x/"' in html


def test_staff_without_the_dashboard_permission_are_refused(login, station_inspector):
    assert login(station_inspector).get(reverse("dashboard:index")).status_code == 403


def test_leaders_land_on_the_dashboard_and_others_on_the_home_page(login, city_leader, district_officer):
    assert login(city_leader).get(reverse("dashboard:landing")).url == reverse("dashboard:index")
    assert login(district_officer).get(reverse("dashboard:landing")).url == reverse("core:home")


def test_print_version_is_one_page_of_tables_without_charts(login, city_leader, shops):
    html = login(city_leader).get(reverse("dashboard:print")).content.decode()
    assert 'data-testid="print-kpis"' in html and "echarts" not in html and "新华区局" in html


def test_sweep_keeps_the_city_and_every_district_warm(org):
    outcome = run(today=timezone.localdate(), only="dashboard-refresh")[0]
    assert outcome.ok, outcome.error
    districts = OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).count()
    assert Snapshot.objects.values("scope_key").distinct().count() == districts + 1
