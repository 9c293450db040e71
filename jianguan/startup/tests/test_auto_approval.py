"""A clean application is approved on submission: the entity exists with a valid code and its licence downloads."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.registry import uscc
from jianguan.startup import services
from jianguan.startup.models import Application, CompanionItem

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(org):
    return factories.applicant()


def test_clean_submission_is_auto_approved_end_to_end(user, client):
    app = factories.application(user)
    app = services.application_submit(actor=user, application=app)
    assert app.state == Application.State.APPROVED and app.auto_approved
    entity = app.entity
    assert entity.name == "平顶山市青松商贸有限公司"
    assert uscc.is_valid(entity.uscc)
    assert entity.registration_authority.code == "410402"
    assert app.decided_at is not None and app.number.startswith("KB")
    entry = AuditEntry.objects.get(action="startup.application.auto_approved", object_id=str(app.pk))
    assert entry.actor is None and entry.actor_label == services.SYSTEM_ACTOR
    assert all(r["passed"] for r in entry.changes["rule_results"][1])
    assert set(CompanionItem.objects.filter(application=app).values_list("code", flat=True)) == {
        "seal",
        "tax",
        "social",
        "bank",
        "fund",
    }

    client.force_login(user)
    page = client.get(f"/startup/applications/{app.pk}/").content.decode()
    assert "已核准" in page and entity.uscc in page
    pdf = client.get(f"/startup/applications/{app.pk}/licence.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF-")


def test_another_applicant_gets_404_for_the_application_and_its_licence(user, client):
    app = services.application_submit(actor=user, application=factories.application(user))
    stranger = factories.applicant("stranger_t", phone="13900000003")
    client.force_login(stranger)
    assert client.get(f"/startup/applications/{app.pk}/").status_code == 404
    assert client.get(f"/startup/applications/{app.pk}/licence.pdf").status_code == 404


def test_double_submit_is_harmless(user):
    app = factories.application(user)
    services.application_submit(actor=user, application=app)
    again = services.application_submit(actor=user, application=app)
    assert again.state == Application.State.APPROVED
    assert AuditEntry.objects.filter(action="startup.application.auto_approved").count() == 1
    assert Application.objects.get(pk=app.pk).entity_id == again.entity_id


def test_incomplete_application_cannot_be_submitted(user):
    from jianguan.core.errors import ValidationFailed

    app = factories.application(user)
    Application.objects.filter(pk=app.pk).update(address="", business_scope="")
    with pytest.raises(ValidationFailed) as exc:
        services.application_submit(actor=user, application=app)
    assert {d["field"] for d in exc.value.details} == {"address", "business_scope"}
    assert Application.objects.get(pk=app.pk).state == Application.State.DRAFT
