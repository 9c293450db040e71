"""The registry demo step seeds ``JIANGUAN_DEMO_ENTITIES`` entities once: running it again adds nothing, raising
the figure tops the registry up, and what it seeds is what the later demo steps need."""

import datetime as dt
from io import StringIO

import pytest

from jianguan.registry.demo import demo_registry
from jianguan.registry.models import Entity, EntityKind, EntityStatus

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


def test_the_step_seeds_the_configured_number_once(org, settings):
    settings.JIANGUAN_DEMO_ENTITIES = 120
    assert demo_registry(today=TODAY, stdout=StringIO()) == {"entities": 120, "added": 120}
    codes = set(Entity.objects.values_list("uscc", flat=True))
    out = StringIO()
    assert demo_registry(today=TODAY, stdout=out)["added"] == 0
    assert "无需生成" in out.getvalue()
    assert set(Entity.objects.values_list("uscc", flat=True)) == codes


def test_a_higher_figure_tops_the_registry_up(org, settings):
    settings.JIANGUAN_DEMO_ENTITIES = 50
    demo_registry(today=TODAY, stdout=StringIO())
    settings.JIANGUAN_DEMO_ENTITIES = 80
    assert demo_registry(today=TODAY, stdout=StringIO())["added"] == 30
    assert Entity.objects.count() == 80


def test_the_test_suite_default_gives_the_later_steps_what_they_need(org, settings):
    assert settings.JIANGUAN_DEMO_ENTITIES <= 1000  # keeps `jianguan demo` in the tests fast
    demo_registry(today=TODAY, stdout=StringIO())
    active = Entity.objects.filter(status=EntityStatus.ACTIVE)
    # credit: active limited companies for accounts, listings and the serious list; inspections: 新华区 entities
    assert active.filter(kind=EntityKind.LLC).count() >= 60
    assert Entity.objects.filter(unit__path__startswith=org["410402"].path).count() >= 20
