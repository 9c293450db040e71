"""The districts of the intake form are read once and cached; saving a division shows the change at once."""

import pytest
from django.conf import settings

from jianguan.complaints.forms import division_choices
from jianguan.core.models import Division

pytestmark = pytest.mark.django_db


def test_districts_come_from_the_cache_until_a_division_is_saved(org, django_assert_num_queries):
    first = division_choices()
    with django_assert_num_queries(0):
        assert division_choices() == first
    Division.objects.create(code="410499", name="新设示范区", level=3, parent_id=settings.JIANGUAN_CITY_CODE)
    assert ("410499", "新设示范区") in division_choices()
