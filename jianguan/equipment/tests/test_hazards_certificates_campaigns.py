"""Hazards go found → rectified → verified (each step once); a campaign check turns each failed item into a
hazard; operator certificates get their expiry from the rule; accidents are recorded against a device."""

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.equipment import services
from jianguan.equipment.models import Hazard
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def test_a_hazard_is_rectified_then_verified_and_cannot_skip_a_step(org):
    user = supervisor()
    device = lift(actor=user)
    hazard = services.hazard_add(actor=user, device=device, found_on=dt.date(2026, 11, 1), description="制动器磨损超标",
                                 today=TODAY)
    assert hazard.deadline == dt.date(2026, 12, 1)
    with pytest.raises(TransitionNotAllowed):
        services.hazard_verify(actor=user, hazard=hazard)
    services.hazard_rectified(actor=user, hazard=hazard, on=dt.date(2026, 11, 20), rectification="已更换制动器",
                              today=TODAY)
    services.hazard_rectified(actor=user, hazard=hazard, on=dt.date(2026, 11, 20), rectification="已更换制动器",
                              today=TODAY)
    verified = services.hazard_verify(actor=user, hazard=hazard, on=TODAY)
    assert verified.status == Hazard.Status.VERIFIED and verified.verified_by == user


def test_a_campaign_check_turns_failed_items_into_hazards_once(org):
    user = supervisor()
    device = lift(actor=user)
    campaign = services.campaign_create(actor=user, title="电梯安全专项整治", tag="电梯", categories_=["3100"],
                                        checklist=["使用标志有效", "维保记录齐全"], starts_on=dt.date(2026, 11, 1),
                                        ends_on=dt.date(2026, 12, 31), unit=user.profile.unit)
    check = services.campaign_check(actor=user, campaign=campaign, device=device, checked_on=TODAY,
                                    answers=[True, False], today=TODAY)
    again = services.campaign_check(actor=user, campaign=campaign, device=device, checked_on=TODAY,
                                    answers=[True, False], today=TODAY)
    assert check.pk == again.pk and check.problems == 1
    assert list(device.hazards.values_list("description", flat=True)) == ["电梯安全专项整治：维保记录齐全"]


def test_a_campaign_check_must_answer_every_item_and_fit_the_campaign(org):
    user = supervisor()
    device = lift(actor=user)
    campaign = services.campaign_create(actor=user, title="气瓶专项整治", tag="气瓶", categories_=["2300"],
                                        checklist=["在检验有效期内"], starts_on=dt.date(2026, 11, 1),
                                        ends_on=dt.date(2026, 12, 31), unit=user.profile.unit)
    with pytest.raises(ValidationFailed) as exc:
        services.campaign_check(actor=user, campaign=campaign, device=device, checked_on=TODAY, answers=[],
                                today=TODAY)
    assert {d["field"] for d in exc.value.details} == {"device", "answers"}


def test_an_operator_certificate_expires_after_the_rules_years_and_duplicates_are_refused(org):
    user = supervisor()
    entity = EntityFactory()
    cert = services.certificate_add(actor=user, entity=entity, holder="李卫东", number="ts41040001", kind="T",
                                    issued_on=dt.date(2024, 2, 29), today=TODAY)
    assert cert.expires_on == dt.date(2028, 2, 29) and cert.number == "TS41040001"
    with pytest.raises(ValidationFailed) as exc:
        services.certificate_add(actor=user, entity=entity, holder="王伟", number="TS41040001", kind="T",
                                 issued_on=dt.date(2024, 3, 1), today=TODAY)
    assert "已登记" in exc.value.details[0]["message"]


def test_an_accident_before_commissioning_is_refused(org):
    user = supervisor()
    device = lift(actor=user, commissioned_on=dt.date(2022, 1, 1))
    with pytest.raises(ValidationFailed):
        services.accident_record(actor=user, device=device, occurred_on=dt.date(2021, 12, 1), level="general",
                                 description="困人", today=TODAY)
    accident = services.accident_record(actor=user, device=device, occurred_on=dt.date(2026, 5, 1), level="general",
                                        description="困人，无伤亡", today=TODAY)
    assert accident.unit_id == device.unit_id


def test_the_pages_of_hazards_certificates_accidents_and_campaigns_render(org, login):
    user = supervisor()
    device = lift(actor=user)
    services.hazard_add(actor=user, device=device, found_on=dt.date(2026, 11, 1), description="报警装置失效",
                        today=TODAY)
    client = login(user)
    for url in ("/workbench/equipment/hazards/", "/workbench/equipment/certificates/",
                "/workbench/equipment/accidents/", "/workbench/equipment/campaigns/"):
        assert client.get(url).status_code == 200
    body = client.get("/workbench/equipment/hazards/").content.decode()
    assert "报警装置失效" in body
