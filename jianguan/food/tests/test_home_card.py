"""The food supervisor's first screen: the home card offers the day's work (grade a caterer) and what waits —
designations to review, 核查处置, 三小 registrations — with counts from the user's scope, and every link on it opens.
A department head who only views sees the counts without the grading button; a drug supervisor sees no food card."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from jianguan.core.tests.factories import staff
from jianguan.food import services

from .factories import small as small_registration
from .factories import supervisor
from .test_grading_checklist_score_grade_and_annual import caterer

pytestmark = pytest.mark.django_db


def _card(body: str) -> str:
    match = re.search(r'<section class="card h-100" data-testid="food-card".*?</section>', body, re.S)
    return match.group(0) if match else ""


def test_the_food_card_offers_grading_and_counts_what_waits(org, login):
    actor = supervisor()
    small_registration(actor=actor)
    services.designation_apply(actor=actor, entity=caterer(), kind="bright_kitchen", applied_on=dt.date(2026, 11, 2))

    client = login(actor)
    card = _card(client.get("/workbench/").content.decode())
    assert card, "the food supervisor's home has no food card"
    assert 'href="/workbench/food/gradings/new/"' in card and "量化分级检查评级" in card
    assert "明厨亮灶、示范店待评审 1 户" in card and "已认定 0 户" in card
    assert "有效三小登记 1 户" in card
    links = set(re.findall(r'href="([^"]+)"', card))
    assert len(links) >= 6
    for url in sorted(links):
        assert client.get(url.replace("&amp;", "&")).status_code == 200, url


def test_a_viewer_sees_the_counts_without_the_button_and_a_drug_supervisor_sees_no_food_card(org, login):
    head = staff("sp_head", "410400SP", ["department_head"], name="食品科科长")
    card = _card(login(head).get("/workbench/").content.decode())
    assert "有效三小登记 0 户" in card and "明厨亮灶、示范店待评审 0 户" in card
    assert "量化分级检查评级" not in card
    drugs = staff("yp_home", "410400YP", ["drug_supervisor"], name="药品监管员")
    assert _card(login(drugs).get("/workbench/").content.decode()) == ""
