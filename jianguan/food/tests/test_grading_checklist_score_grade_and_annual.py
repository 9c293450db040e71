"""Catering quantified grading: checklist → score → dynamic grade (rules), refused when incomplete or too soon
after a new licence, the annual grade over the past 12 months (set-based, only changes written), the public record,
the reply beside the grade, the badge and the open data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from jianguan.core.errors import ValidationFailed
from jianguan.core.models import AuditEntry
from jianguan.food import grading, services
from jianguan.food.models import AnnualGrade, GradingInspection
from jianguan.registry.models import Industry, Licence, LicenceKind
from jianguan.registry.tests.factories import EntityFactory

from .factories import supervisor

pytestmark = pytest.mark.django_db

CHECKLIST = [{"code": "a", "label": "甲", "weight": 60, "key": True}, {"code": "b", "label": "乙", "weight": 30},
             {"code": "c", "label": "丙", "weight": 10}]
ALL_YES = {"licence": True, "health": True, "purchase": True, "storage": True, "processing": True,
           "tableware": True, "additives": True, "sample": True, "pests": True, "waste": True}


def caterer(**kw):
    industry, _ = Industry.objects.get_or_create(code="62", defaults={"name": "餐饮业"})
    return EntityFactory(industry=industry, name=kw.pop("name", None) or "平顶山市老王烩面馆有限公司", **kw)


def test_score_and_grades_are_computed_from_the_checklist():
    value, key_failed, rows = grading.score(CHECKLIST, {"a": True, "b": False, "c": True})
    assert (value, key_failed) == (Decimal("70.0"), False) and rows[1]["conform"] is False
    assert grading.dynamic_grade(value, key_failed, {"excellent": 90, "good": 70}) == "good"
    assert grading.dynamic_grade(Decimal("69.9"), False, {"excellent": 90, "good": 70}) == "fair"
    value, key_failed, _ = grading.score(CHECKLIST, {"a": False, "b": True, "c": True})
    assert grading.dynamic_grade(value, key_failed, {"excellent": 30, "good": 20}) == "fair"  # key item failed
    with pytest.raises(grading.IncompleteChecklist) as exc:
        grading.score(CHECKLIST, {"a": True, "c": True})
    assert "第 2 项「乙」" in exc.value.message and exc.value.field == "item_b"
    assert grading.annual_level(Decimal("95"), 1, {"A": 90, "B": 70}) == "B"
    assert grading.annual_level(Decimal("95"), 0, {"A": 90, "B": 70}) == "A"
    assert grading.annual_level(Decimal("69.9"), 0, {"A": 90, "B": 70}) == "C"


def test_incomplete_checklist_is_refused_and_nothing_is_written(org):
    user = supervisor()
    shop = caterer()
    answers = dict(ALL_YES)
    del answers["tableware"]
    with pytest.raises(ValidationFailed) as exc:
        services.grading_record(actor=user, entity=shop, inspected_on=dt.date(2026, 11, 2), answers=answers)
    assert "第 6 项「餐饮具清洗消毒」未填写" in exc.value.message
    assert not GradingInspection.objects.exists() and not AnnualGrade.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="food.").exists()


def test_no_grade_for_a_non_caterer_or_within_three_months_of_a_new_licence(org):
    user = supervisor()
    with pytest.raises(ValidationFailed) as exc:
        services.grading_record(actor=user, entity=EntityFactory(), inspected_on=dt.date(2026, 11, 2),
                                answers=ALL_YES)
    assert "不是餐饮服务提供者" in exc.value.message
    shop = caterer()
    kind, _ = LicenceKind.objects.get_or_create(code="food_business", defaults={"name": "食品经营许可证"})
    Licence.objects.create(entity=shop, kind=kind, number="JY14104020000001", issuer="新华区市场监督管理局",
                           issued_on=dt.date(2026, 8, 3))
    with pytest.raises(ValidationFailed) as exc:
        services.grading_record(actor=user, entity=shop, inspected_on=dt.date(2026, 11, 2), answers=ALL_YES)
    assert "2026年08月03日" in exc.value.message and "不满 3 个月" in exc.value.message
    # three whole months on 3 November 2026
    insp = services.grading_record(actor=user, entity=shop, inspected_on=dt.date(2026, 11, 3), answers=ALL_YES)
    assert insp.grade == "excellent" and insp.score == Decimal("100.0")


def test_annual_grade_over_the_past_twelve_months_writes_only_changes(org):
    user = supervisor()
    shop, other = caterer(), caterer(name="平顶山市鹰城饺子馆有限公司")
    bad = dict(ALL_YES, processing=False)  # a key item: 85 points, but 一般
    services.grading_record(actor=user, entity=shop, inspected_on=dt.date(2025, 12, 5), answers=bad)
    services.grading_record(actor=user, entity=shop, inspected_on=dt.date(2026, 6, 1), answers=ALL_YES)
    services.grading_record(actor=user, entity=other, inspected_on=dt.date(2026, 6, 1), answers=ALL_YES)
    services.annual_compute(actor="t", as_of=dt.date(2026, 12, 4))
    a = AnnualGrade.objects.get(entity=shop)
    assert (a.level, a.average, a.inspections, a.fair_count) == ("B", Decimal("92.5"), 2, 1)
    # 5 December 2025 leaves the window on 5 December 2026 (window 2025-12-06 … 2026-12-05)
    before = AuditEntry.objects.filter(action="food.annual.computed").count()
    assert services.annual_compute(actor="t", as_of=dt.date(2026, 12, 5)) == {"annual_changed": 1,
                                                                              "annual_removed": 0}
    a = AnnualGrade.objects.get(entity=shop)
    assert (a.level, a.average, a.inspections) == ("A", Decimal("100.0"), 1)
    assert services.annual_compute(actor="t", as_of=dt.date(2026, 12, 5)) == {"annual_changed": 0,
                                                                              "annual_removed": 0}
    assert AuditEntry.objects.filter(action="food.annual.computed").count() == before + 1
    assert services.annual_compute(actor="t", as_of=dt.date(2027, 6, 1)) == {"annual_changed": 0,
                                                                             "annual_removed": 2}
    assert not AnnualGrade.objects.exists()


def test_the_public_sees_the_grade_the_reply_beside_it_the_badge_and_the_open_data(org, client):
    from jianguan.credit.timeline import events_for
    from jianguan.food import opendata
    from jianguan.portal import records
    from jianguan.portal.models import Reply

    user = supervisor()
    shop = caterer()
    insp = services.grading_record(actor=user, entity=shop, inspected_on=dt.date(2026, 11, 2),
                                   answers=dict(ALL_YES, sample=False))
    from jianguan.credit.tests.factories import enterprise_account
    from jianguan.portal.services import reply_post

    owner = enterprise_account(shop, username="ent_shop")
    reply_post(actor=owner, object_type="food.gradinginspection", object_id=str(insp.pk), body="留样柜已于当日购置到位")
    assert Reply.objects.get().object_label == "餐饮量化分级 2026-11-02 动态等级：优秀"
    page = client.get(reverse("food_public:caterer", args=[shop.uscc])).content.decode()
    assert "优秀" in page and "95.0" in page and "留样柜已于当日购置到位" in page and shop.legal_rep not in page
    assert 'data-testid="face-excellent"' in page
    listing = client.get(reverse("food_public:index"), {"q": "老王"}).content.decode()
    assert shop.name in listing
    badge = client.get(reverse("food_public:badge", args=[shop.uscc]))
    svg = badge.content.decode()
    assert badge["Content-Type"].startswith("image/svg+xml")
    assert shop.uscc in svg and f"/food/grades/{shop.uscc}/" in svg and "优秀" in svg
    assert client.get(reverse("food_public:badge", args=["91410400000000000X"])).status_code == 404
    public = [e for e in events_for(shop, None) if e.source == "food"]
    assert {e.title for e in public} == {"动态等级：优秀（大笑）", "年度等级：A级"}
    assert [e.ref for e in public if e.title.startswith("动态")] == [("food.gradinginspection", str(insp.pk))]
    body, _ = records.get(shop.uscc)
    text = body.decode()
    assert "动态等级：优秀（大笑）" in text and "留样柜已于当日购置到位" in text
    services.grading_record(actor=user, entity=shop, inspected_on=dt.date(2026, 11, 20),
                            answers=dict(ALL_YES, tableware=False))
    body, _ = records.get(shop.uscc)  # the stored record followed the new inspection
    assert "动态等级：一般（平脸）" in body.decode()
    rows = list(opendata.grade_rows(dt.date(2026, 12, 5)))
    assert rows == [(shop.uscc, shop.name, "2026-11-20", "fair", "一般", "85.0", "B", "90.0", 2, rows[0][-1])]
