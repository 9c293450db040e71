"""Registrar decisions: approve, reject, return for correction and resubmission; disallowed transitions are 409."""

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.registry.models import Entity
from jianguan.startup import services
from jianguan.startup.models import Application

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(org):
    return factories.applicant()


@pytest.fixture
def reg(org):
    return factories.registrar("xh_reg", "410402")


@pytest.fixture
def routed(user):
    return services.application_submit(actor=user, application=factories.application(user, capital="20000"))


def test_registrar_approves_and_the_entity_is_registered(routed, reg, login):
    r = login(reg).post(f"/workbench/startup/applications/{routed.pk}/approve/", {"message": "材料齐全"})
    assert r.status_code == 302
    app = Application.objects.get(pk=routed.pk)
    assert app.state == Application.State.APPROVED and not app.auto_approved
    assert Entity.objects.filter(pk=app.entity_id, name=app.name).exists()
    assert app.decision_work_hours is not None


def test_reject_needs_a_reason_and_then_is_final(routed, reg, login):
    client = login(reg)
    r = client.post(f"/workbench/startup/applications/{routed.pk}/reject/", {"message": ""})
    assert r.status_code == 422
    client.post(f"/workbench/startup/applications/{routed.pk}/reject/", {"message": "注册资本不实"})
    assert Application.objects.get(pk=routed.pk).state == Application.State.REJECTED
    r = client.post(f"/workbench/startup/applications/{routed.pk}/approve/", {"message": ""})
    assert r.status_code == 409
    assert Application.objects.get(pk=routed.pk).state == Application.State.REJECTED


def test_return_then_resubmit_goes_back_to_the_registrar(routed, reg, user):
    services.application_return(actor=reg, application=routed, message="请将注册资本调整为合理数额")
    app = Application.objects.get(pk=routed.pk)
    assert app.state == Application.State.RETURNED and app.due_at is None
    with pytest.raises(TransitionNotAllowed):
        services.application_approve(actor=reg, application=app)
    app = services.application_update(actor=user, application=app, registered_capital=app.registered_capital)
    app = services.application_submit(actor=user, application=app)
    assert app.state == Application.State.IN_REVIEW
    assert list(app.decisions.values_list("action", flat=True)) == [
        "submitted",
        "routed",
        "returned",
        "resubmitted",
        "routed",
    ]


def test_returned_application_can_be_edited_but_an_approved_one_cannot(routed, reg, user):
    services.application_return(actor=reg, application=routed, message="请修改")
    services.application_update(actor=user, application=routed, address="新华路1号")
    services.application_submit(actor=user, application=routed)
    services.application_approve(actor=reg, application=routed)
    with pytest.raises(TransitionNotAllowed):
        services.application_update(actor=user, application=routed, address="新华路2号")


def test_a_second_approval_click_is_harmless(routed, reg):
    services.application_approve(actor=reg, application=routed)
    again = services.application_approve(actor=reg, application=routed)
    assert again.state == Application.State.APPROVED
    assert Entity.objects.filter(name=routed.name).count() == 1


def test_return_without_message_is_refused(routed, reg):
    with pytest.raises(ValidationFailed):
        services.application_return(actor=reg, application=routed, message=" ")


def test_api_returns_409_for_a_disallowed_transition(routed, reg, client):
    client.force_login(reg)
    r = client.post(
        f"/api/v1/startup/applications/{routed.pk}/reject", {"message": "不符合条件"}, content_type="application/json"
    )
    assert r.status_code == 200 and r.json()["state"] == "rejected"
    r = client.post(
        f"/api/v1/startup/applications/{routed.pk}/return", {"message": "补正"}, content_type="application/json"
    )
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "transition_not_allowed"


def test_api_queue_is_scoped(routed, client, org):
    client.force_login(factories.registrar("wd_reg", "410403"))
    assert client.get("/api/v1/startup/applications").json()["items"] == []
    assert client.get(f"/api/v1/startup/applications/{routed.pk}").status_code == 404
    client.force_login(factories.registrar("xh_reg2", "410402"))
    assert [a["id"] for a in client.get("/api/v1/startup/applications").json()["items"]] == [routed.pk]
