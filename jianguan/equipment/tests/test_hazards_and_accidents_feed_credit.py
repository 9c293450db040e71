"""Hazards and accidents of an entity's devices feed its credit: the risk indicators equipment_hazards and
equipment_accidents (points from credit.risk.weights; recomputed when one is recorded), the credit record for
staff, and the public record only for an accident whose penalty is published."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.credit import risk
from jianguan.credit.models import EntityRisk
from jianguan.credit.timeline import events_for
from jianguan.enforcement.tests.docfixtures import make_case, make_penalty
from jianguan.equipment import services
from jianguan.portal.public import record
from jianguan.registry.models import Entity

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def _reasons(entity) -> dict:
    row = EntityRisk.objects.get(entity=entity)
    return {r["code"]: r for r in row.reasons}


def test_an_overdue_hazard_and_an_accident_score_in_the_risk_class(org, today, django_capture_on_commit_callbacks):
    user = supervisor()
    device = lift(actor=user, commissioned_on=today - dt.timedelta(days=900), today=today)
    entity = device.entity
    with django_capture_on_commit_callbacks(execute=True):
        hazard = services.hazard_add(actor=user, device=device, found_on=today - dt.timedelta(days=40),
                                     description="层门门锁啮合长度不足", deadline=today - dt.timedelta(days=10),
                                     today=today)
    reasons = _reasons(entity)  # recomputed on commit: the hazard is past its deadline and open
    assert reasons["equipment_hazards"]["points"] == 15 and "1 项" in reasons["equipment_hazards"]["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        services.accident_record(actor=user, device=device, occurred_on=today - dt.timedelta(days=5),
                                 level="larger", description="轿厢冲顶", injuries=3, today=today)
    reasons = _reasons(entity)
    assert reasons["equipment_accidents"]["points"] == 40  # a larger accident counts double
    assert "特种设备事故 1 起" in reasons["equipment_accidents"]["detail"]
    with django_capture_on_commit_callbacks(execute=True):
        services.hazard_rectified(actor=user, hazard=hazard, on=today, rectification="更换门锁", today=today)
    assert "equipment_hazards" not in _reasons(entity)
    # an accident older than the rule's three years no longer counts
    risk.recompute(entity_ids=[entity.pk], on=today + dt.timedelta(days=3 * 366 + 10))
    assert "equipment_accidents" not in _reasons(entity)


def test_a_major_hazard_counts_even_before_its_deadline_and_only_for_its_user(org, today):
    user = supervisor()
    device = lift(actor=user, commissioned_on=today - dt.timedelta(days=900), today=today)
    other = lift(actor=user, commissioned_on=today - dt.timedelta(days=900), today=today)
    services.hazard_add(actor=user, device=device, found_on=today, description="制动器失效", level="major",
                        today=today)
    services.hazard_add(actor=user, device=other, found_on=today, description="照明不足", today=today)
    risk.recompute(on=today)
    assert "equipment_hazards" in _reasons(device.entity)
    assert "equipment_hazards" not in _reasons(other.entity)


def test_staff_see_hazards_and_accidents_the_public_only_an_accident_with_a_published_penalty(org, login, today):
    user = supervisor()
    device = lift(actor=user, commissioned_on=today - dt.timedelta(days=900), today=today)
    entity = device.entity
    services.hazard_add(actor=user, device=device, found_on=today, description="限速器校验过期", today=today)
    accident = services.accident_record(actor=user, device=device, occurred_on=today - dt.timedelta(days=20),
                                        level="general", description="困人 2 小时", injuries=1, today=today)
    staff_events = {e.category for e in events_for(entity, user)}
    assert {"特种设备事故隐患", "特种设备事故"} <= staff_events
    public = [e["category"] for e in record(entity)["other_events"]]
    assert "特种设备事故" not in public and "特种设备事故隐患" not in public
    case = make_case(entity=entity, unit="410402")
    penalty = make_penalty(case, decided_on=today - dt.timedelta(days=3), published_on=today - dt.timedelta(days=1),
                           publication_ends_on=today + dt.timedelta(days=300))
    client = login(user)
    client.post(f"/workbench/equipment/accidents/{accident.pk}/penalty/", {"decision_no": penalty.decision_no})
    accident.refresh_from_db()
    assert accident.penalty_id == penalty.pk
    entity = Entity.objects.get(pk=entity.pk)  # a fresh read, as each request makes
    events = [e for e in record(entity)["other_events"] if e["category"] == "特种设备事故"]
    assert len(events) == 1 and penalty.decision_no in events[0]["detail"] and device.code in events[0]["title"]
    assert "特种设备事故隐患" not in [e["category"] for e in record(Entity.objects.get(pk=entity.pk))["other_events"]]
    # the stored public record served by the open API follows (the accident is a source of the record)
    body = client.get(f"/api/v1/entities/{entity.uscc}").content.decode()
    assert "特种设备事故" in body


def test_a_penalty_of_another_party_cannot_be_linked(org, login, today):
    user = supervisor()
    device = lift(actor=user, commissioned_on=today - dt.timedelta(days=900), today=today)
    accident = services.accident_record(actor=user, device=device, occurred_on=today, level="general",
                                        description="困人", today=today)
    penalty = make_penalty(make_case(unit="410402"))
    text = login(user).post(f"/workbench/equipment/accidents/{accident.pk}/penalty/",
                            {"decision_no": penalty.decision_no}, follow=True).content.decode()
    assert "当事人不是该设备的使用单位" in text
    text = login(user).post(f"/workbench/equipment/accidents/{accident.pk}/penalty/",
                            {"decision_no": "不存在〔2026〕1号"}, follow=True).content.decode()
    assert "没有文号为" in text
    accident.refresh_from_db()
    assert accident.penalty_id is None
