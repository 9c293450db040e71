"""The demo step fills every state, and runs twice harmlessly."""

import datetime as dt
import io

import pytest

from jianguan.core.demo import build_staff
from jianguan.enforcement import demo
from jianguan.enforcement.models import Case, Lead

from .factories import business

pytestmark = pytest.mark.django_db


def test_demo_is_idempotent_and_covers_the_states(org):
    today = dt.date(2026, 11, 25)
    build_staff(org, today)
    for unit in ("41040201", "41040301", "41041101"):
        for _ in range(4):
            business(unit)
    out = io.StringIO()
    result = demo.demo_enforcement(today=today, stdout=out)
    assert result["skipped"] == 0, out.getvalue()
    assert result["created"] == len(demo.STORIES) * len(demo.DISTRICTS)
    states = set(Case.objects.values_list("status", flat=True))
    assert {"filed", "investigated", "legal_review", "notified", "hearing", "decided", "served", "executed",
            "closed"} <= states
    assert {"new", "checking", "not_filed", "filed"} <= set(Lead.objects.values_list("status", flat=True))
    assert Case.objects.filter(overdue=True).exists() and Case.objects.filter(procedure="simplified").exists()
    before = Case.objects.count()
    assert demo.demo_enforcement(today=today, stdout=io.StringIO())["created"] == 0
    assert Case.objects.count() == before


def test_every_demo_case_and_lead_page_renders(org, client):
    from django.contrib.auth import get_user_model

    today = dt.date(2026, 11, 25)
    build_staff(org, today)
    for _ in range(4):
        business("41040201")
    demo.demo_enforcement(today=today, stdout=io.StringIO())
    head = get_user_model().objects.get(username="xh_head")
    client.force_login(head)
    cases = list(Case.objects.filter(unit__code="410402"))
    assert len({c.status for c in cases}) >= 9
    for case in cases:
        page = client.get(f"/workbench/enforcement/cases/{case.pk}/")
        assert page.status_code == 200 and case.number in page.content.decode()
    for lead in Lead.objects.filter(unit__code="410402"):
        assert client.get(f"/workbench/enforcement/leads/{lead.pk}/").status_code == 200
    board = client.get("/workbench/enforcement/board/").content.decode()
    assert 'data-testid="board-groups"' in board
