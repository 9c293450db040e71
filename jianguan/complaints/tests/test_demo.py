"""The demo step fills every state, prints a tracking number and code that work, and runs twice harmlessly."""

import datetime as dt
import io

import pytest

from jianguan.complaints import demo, services
from jianguan.complaints.models import Complaint
from jianguan.core.demo import build_staff

from .factories import business

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_covers_the_states(org, monkeypatch):
    monkeypatch.setattr(demo, "COUNT", 60)
    build_staff(org, dt.date(2026, 11, 25))
    for unit in ("41040201", "41040301", "41041101"):
        business(unit)
    out = io.StringIO()
    result = demo.demo_complaints(today=dt.date(2026, 11, 25), stdout=out)
    assert result["created"] == 60
    states = set(Complaint.objects.values_list("status", flat=True))
    assert {"received", "accepted", "refused", "agreed", "terminated", "closed", "verifying", "lead",
            "dismissed"} <= states
    showcase = Complaint.objects.get(number=result["tracking_number"])
    assert services.code_matches(showcase, result["tracking_code"])
    assert result["tracking_number"] in out.getvalue()
    again = demo.demo_complaints(today=dt.date(2026, 11, 25), stdout=io.StringIO())
    assert again["created"] == 0 and Complaint.objects.count() == 60
