import datetime as dt
import io

import pytest

from jianguan.standards import numbers
from jianguan.standards.demo import demo_standards
from jianguan.standards.models import EnterpriseStandard, LocalStandard, Milestone

pytestmark = pytest.mark.django_db


def test_demo_loads_once_and_its_numbers_follow_the_rules(org):
    from jianguan.registry.tests.factories import EntityFactory

    EntityFactory.create_batch(62)
    today = dt.date(2026, 6, 1)
    assert demo_standards(today=today, stdout=io.StringIO())["pilots"] == 2
    for row in EnterpriseStandard.objects.all():
        assert numbers.problem(row.kind, row.number, this_year=2026, local_prefixes=("DB41", "DB4104")) is None
    assert LocalStandard.objects.filter(stage="published").count() == 1
    assert Milestone.objects.filter(done_on__isnull=True, due_on__lt=today).exists()
    assert demo_standards(today=today, stdout=io.StringIO()) == {"skipped": True}
