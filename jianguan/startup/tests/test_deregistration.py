"""Change and deregistration by the founder; simplified deregistration with its public notice and objections."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import PublicProfile
from jianguan.registry.models import Entity
from jianguan.startup import services
from jianguan.startup.models import Application

from . import factories

pytestmark = pytest.mark.django_db
Kind = Application.Kind


@pytest.fixture
def user(org):
    return factories.applicant()


@pytest.fixture
def entity(user):
    return services.application_submit(actor=user, application=factories.application(user)).entity


@pytest.fixture
def reg(org):
    return factories.registrar("xh_reg", "410402")


def test_only_the_founder_or_the_enterprise_account_may_apply(entity, user):
    stranger = factories.applicant("stranger_t", phone="13900000003")
    with pytest.raises(DomainError):
        services.application_create(actor=stranger, kind=Kind.CHANGE, entity=entity)
    enterprise = factories.applicant("ent_t", phone="13900000004")
    PublicProfile.objects.filter(user=enterprise).update(kind=PublicProfile.Kind.ENTERPRISE, entity=entity)
    enterprise.refresh_from_db()
    assert services.application_create(actor=enterprise, kind=Kind.CHANGE, entity=entity).entity == entity


def test_change_of_address_is_auto_approved_and_applied(entity, user):
    app = services.application_create(actor=user, kind=Kind.CHANGE, entity=entity)
    assert app.name == entity.name
    services.application_update(actor=user, application=app, address="光明路88号")
    app = services.application_submit(actor=user, application=app)
    assert app.state == Application.State.APPROVED, app.rule_results
    assert app.change_fields == {"address": ["建设路18号", "光明路88号"]}
    assert Entity.objects.get(pk=entity.pk).address == "光明路88号"


def test_change_without_any_change_is_refused(entity, user):
    app = services.application_create(actor=user, kind=Kind.CHANGE, entity=entity)
    with pytest.raises(ValidationFailed):
        services.application_submit(actor=user, application=app)


def test_ordinary_deregistration_goes_to_the_registrar(entity, user, reg):
    app = services.application_create(actor=user, kind=Kind.DEREGISTER, entity=entity)
    services.application_update(actor=user, application=app, reason="经营期满")
    app = services.application_submit(actor=user, application=app)
    assert app.state == Application.State.IN_REVIEW
    services.application_approve(actor=reg, application=app)
    assert Entity.objects.get(pk=entity.pk).status == "deregistered"


def _simple(user, entity):
    app = services.application_create(actor=user, kind=Kind.SIMPLE_DEREGISTER, entity=entity)
    services.application_update(actor=user, application=app, reason="不再经营", debts_settled=True)
    return services.application_submit(actor=user, application=app)


def test_simple_deregistration_needs_the_debt_declaration(entity, user):
    app = services.application_create(actor=user, kind=Kind.SIMPLE_DEREGISTER, entity=entity)
    services.application_update(actor=user, application=app, reason="不再经营")
    with pytest.raises(ValidationFailed) as exc:
        services.application_submit(actor=user, application=app)
    assert "债权债务" in exc.value.message


def test_simple_deregistration_is_published_for_the_notice_period(entity, user, client):
    app = _simple(user, entity)
    assert app.state == Application.State.PUBLIC_NOTICE
    assert app.notice_ends_on - app.notice_starts_on == dt.timedelta(days=20)
    assert entity.name in client.get("/startup/notices/").content.decode()


def test_notice_without_objection_is_approved_by_the_sweep_only_after_the_period(entity, user, reg):
    app = _simple(user, entity)
    assert services.notice_sweep(today=app.notice_ends_on) == []
    with pytest.raises(TransitionNotAllowed):
        services.application_approve(actor=reg, application=app)
    done = services.notice_sweep(today=app.notice_ends_on + dt.timedelta(days=1))
    assert [a.pk for a in done] == [app.pk]
    assert Entity.objects.get(pk=entity.pk).status == "deregistered"
    assert services.notice_sweep(today=app.notice_ends_on + dt.timedelta(days=2)) == []


def test_objection_routes_to_the_registrar_who_decides(entity, user, reg, client, login):
    app = _simple(user, entity)
    r = client.post(
        f"/startup/notices/{app.pk}/objection/",
        {"name": "债权人甲", "contact": "13800000000", "content": "尚欠货款 3 万元未付"},
    )
    assert r.status_code == 302
    app.refresh_from_db()
    assert app.state == Application.State.IN_REVIEW and app.objections.count() == 1
    page = login(reg).get("/workbench/startup/").content.decode()
    assert app.number in page
    detail = login(reg).get(f"/workbench/startup/applications/{app.pk}/").content.decode()
    assert "债权人甲" in detail and "13800000000" in detail  # the contact, encrypted at rest (#14), read back
    services.application_reject(actor=reg, application=app, message="存在未清偿债务，不适用简易注销")
    assert Entity.objects.get(pk=entity.pk).status == "active"


def test_objection_after_the_notice_is_refused(entity, user):
    app = _simple(user, entity)
    Application.objects.filter(pk=app.pk).update(notice_ends_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(TransitionNotAllowed):
        services.objection_lodge(actor="public", application=app, name="甲", contact="1", content="异议")


def test_the_daily_sweep_job_approves_ended_notices(entity, user):
    import io

    from django.core.management import call_command

    app = _simple(user, entity)
    day = (app.notice_ends_on + dt.timedelta(days=1)).isoformat()
    call_command("sweep", "--today", day, "--only", "startup-simple-deregistration", stdout=io.StringIO())
    assert Application.objects.get(pk=app.pk).state == Application.State.APPROVED


def test_an_objectors_contact_is_a_logged_read_for_the_registrar_and_masked_for_a_leader(
        entity, user, reg, client, login, city_leader):
    """The objector's contact (often a phone, personal data, #14): in clear for the registrar as a logged read,
    masked for a leader without the personal-data permission (no read)."""
    from jianguan.core.models import AuditEntry

    app = _simple(user, entity)
    client.post(f"/startup/notices/{app.pk}/objection/",
                {"name": "债权人乙", "contact": "13800000123", "content": "尚欠货款未付"})
    assert "13800000123" in login(reg).get(f"/workbench/startup/applications/{app.pk}/").content.decode()
    objection = app.objections.get()
    assert AuditEntry.objects.filter(action="core.personal_data.viewed", actor=reg, object_type="startup.objection",
                                     object_id=str(objection.pk)).exists()
    page = login(city_leader).get(f"/workbench/startup/applications/{app.pk}/").content.decode()
    assert "债权人乙" in page and "13800000123" not in page and "138****0123" in page
    assert not AuditEntry.objects.filter(action="core.personal_data.viewed", actor=city_leader).exists()


def test_a_new_legal_representatives_id_number_and_phone_are_kept_masked_in_the_change_record(entity, user, reg):
    """A change of legal representative: ``change_fields`` (JSON kept in clear) holds the ID numbers and phones
    masked (#14), the registry gets the full new values from the application's encrypted columns on approval, and
    the data migration masks rows written before."""
    from django.db import connection
    from django.db.migrations.loader import MigrationLoader

    new_id = factories.id_number(7)
    app = services.application_create(actor=user, kind=Kind.CHANGE, entity=entity)
    services.application_update(actor=user, application=app, legal_rep_name="李新", legal_rep_id_no=new_id,
                                legal_rep_phone="13700001234")
    app = services.application_submit(actor=user, application=app)
    stored = str(Application.objects.filter(pk=app.pk).values_list("change_fields", flat=True)[0])
    assert new_id not in stored and "13700001234" not in stored and "137****1234" in stored
    if app.state != Application.State.APPROVED:
        services.application_approve(actor=reg, application=app, message="同意")
    fresh = Entity.objects.get(pk=entity.pk)
    assert (fresh.legal_rep, fresh.legal_rep_id_no, fresh.phone) == ("李新", new_id, "13700001234")

    # a row from before: the migration masks it, and backwards the new values come back from the encrypted columns
    Application.objects.filter(pk=app.pk).update(change_fields={"phone": [entity.phone, "13700001234"],
                                                                "legal_rep": ["王法人", "李新"]})
    module = __import__("jianguan.startup.migrations.0010_mask_personal_change_fields", fromlist=["forwards"])
    state = MigrationLoader(connection).project_state(("startup", "0010_mask_personal_change_fields")).apps
    module.forwards(state, None)
    masked = Application.objects.get(pk=app.pk).change_fields
    assert masked["phone"][1] == "137****1234" and masked["legal_rep"] == ["王法人", "李新"]
    module.backwards(state, None)
    assert Application.objects.get(pk=app.pk).change_fields["phone"][1] == "13700001234"
