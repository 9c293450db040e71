"""Showing personal data unmasked (an ID number, a phone number, a reporter's identity) is an audited read; a masked
view is not; a page reloaded within the hour is one read (#14 audit)."""

import pytest

from jianguan.core.models import AuditEntry
from jianguan.registry.tests.factories import EntityFactory, registrar

pytestmark = pytest.mark.django_db


def _reads(user):
    return AuditEntry.objects.filter(action="core.personal_data.viewed", actor=user)


def test_an_unmasked_entity_page_is_a_logged_read_once_an_hour(login, org):
    user = registrar()
    entity = EntityFactory(unit_id=user.profile.unit_id)
    c = login(user)
    for _ in range(3):
        assert c.get(f"/workbench/registry/entities/{entity.uscc}/").status_code == 200
    [entry] = _reads(user)
    assert entry.object_id == str(entity.pk) and entry.changes["fields"][1] == ["legal_rep_id_no", "phone"]


def test_the_api_detail_is_a_logged_read(login, org):
    user = registrar()
    entity = EntityFactory(unit_id=user.profile.unit_id)
    assert login(user).get(f"/api/v1/registry/entities/{entity.uscc}").status_code == 200
    assert _reads(user).count() == 1


def test_a_masked_view_is_not_a_personal_read(login, org, station_inspector):
    entity = EntityFactory(unit_id=station_inspector.profile.unit_id)
    assert login(station_inspector).get(f"/workbench/registry/entities/{entity.uscc}/").status_code == 200
    assert not _reads(station_inspector).exists()


def test_the_case_page_shows_a_natural_persons_id_number_and_address_as_a_logged_read(login, org):
    """A natural person's ID number and address on the case page: in clear for a case officer (a logged read, once an
    hour), masked for a legal reviewer (no read); an organisation's code and address are not personal data."""
    from jianguan.core.tests.factories import staff
    from jianguan.enforcement.tests import factories as ef

    officer = ef.officer("pr_officer")
    lead = ef.lead(actor=officer, party_address="平顶山市新华区某小区5号楼")
    case = ef.filed_case(actor=officer, officers=[officer, ef.officer("pr_officer2")], the_lead=lead,
                         party_kind="individual", party_id_no="41040219900101123X")
    c = login(officer)
    for _ in range(2):
        page = c.get(f"/workbench/enforcement/cases/{case.pk}/").content.decode()
        assert "41040219900101123X" in page and "某小区5号楼" in page
    [entry] = _reads(officer)
    assert entry.object_type == "enforcement.case" and entry.object_id == str(case.pk)
    assert entry.changes["fields"][1] == ["party_address", "party_id_no"]
    reviewer = staff("pr_reviewer", "410402", ["legal_reviewer"])
    page = login(reviewer).get(f"/workbench/enforcement/cases/{case.pk}/").content.decode()
    assert "410***********123X" in page and "某小区5号楼" not in page and "已脱敏" in page
    assert not _reads(reviewer).exists()
    firm = ef.filed_case(actor=officer, officers=[officer, ef.officer("pr_officer3")], party_kind="organisation")
    assert login(officer).get(f"/workbench/enforcement/cases/{firm.pk}/").status_code == 200
    assert not _reads(officer).filter(object_id=str(firm.pk)).exists()


def test_the_credit_page_shows_the_annual_reports_contact_as_a_logged_read(login, org):
    """The latest annual report's address and phone on the credit record: in clear for a head of the unit (a
    logged read of the report), masked for a credit officer (no read)."""
    from jianguan.core.tests.factories import staff
    from jianguan.credit.tests.factories import report

    firm = EntityFactory(unit_id=registrar().profile.unit_id)
    rep = report(firm, 2025, phone="13812340000", address="平顶山市新华区某村8号")
    head = staff("pr_head", "410402", ["department_head"])
    page = login(head).get(f"/workbench/credit/entities/{firm.uscc}/").content.decode()
    assert "13812340000" in page and "某村8号" in page
    [entry] = _reads(head)
    assert entry.object_type == "credit.annualreport" and entry.object_id == str(rep.pk)
    assert entry.changes["fields"][1] == ["address", "phone"]
    officer = staff("pr_credit", "410402", ["credit_officer"])
    page = login(officer).get(f"/workbench/credit/entities/{firm.uscc}/").content.decode()
    assert "138****0000" in page and "13812340000" not in page and "某村8号" not in page
    assert not _reads(officer).exists()


def test_staff_phones_are_shown_only_on_the_admins_staff_page_which_is_a_logged_read(login, org, sysadmin):
    """The workbench's staff list shows no phone (nothing to log); the one page that shows a staff member's phone,
    the staff profile in /admin/, is a logged read, and a phone changed there is masked in the audit log."""
    from jianguan.core.tests.factories import staff

    clerk = staff("pr_clerk", "410402", ["case_officer"], phone="13911112222")
    c = login(sysadmin)
    listing = c.get("/workbench/staff/").content.decode()
    assert "pr_clerk" in listing and "13911112222" not in listing and "1391111" not in listing
    assert not _reads(sysadmin).exists()
    page = c.get(f"/admin/core/staffprofile/{clerk.profile.pk}/change/").content.decode()
    assert "13911112222" in page
    [entry] = _reads(sysadmin)
    assert entry.object_type == "core.staffprofile" and entry.changes["fields"][1] == ["phone"]
    form = {"user": clerk.pk, "unit": clerk.profile.unit_id, "staff_code": clerk.profile.staff_code,
            "title": "", "phone": "13977778888", "specialties": "", "credential_no": clerk.profile.credential_no,
            "credential_expiry": clerk.profile.credential_expiry.isoformat()}
    assert c.post(f"/admin/core/staffprofile/{clerk.profile.pk}/change/", form).status_code == 302
    written = str(list(AuditEntry.objects.exclude(action="core.personal_data.viewed").values_list("changes", flat=True)))
    assert "139****8888" in written and "13977778888" not in written and "13911112222" not in written


def test_the_lead_page_shows_a_natural_persons_address_as_a_logged_read(login, org):
    """A lead's party without a registered entity (or an individual business) is a natural person: the address is
    in clear for a case officer (a logged read, once an hour), masked for a legal reviewer (no read), as on the
    case page; a registered company's address is not personal data."""
    import datetime as dt

    from jianguan.core.models import OrgUnit
    from jianguan.core.tests.factories import staff
    from jianguan.enforcement import services
    from jianguan.enforcement.tests import factories as ef

    officer = ef.officer("lr_officer")
    lead = services.lead_create(actor=officer, source_kind="complaint", entity=None, party_name="张某",
                                party_address="平顶山市新华区某小区6号楼", unit=OrgUnit.objects.get(code="410402"),
                                description="无照经营", discovered_on=dt.date(2026, 3, 2))
    c = login(officer)
    for _ in range(2):
        page = c.get(f"/workbench/enforcement/leads/{lead.pk}/").content.decode()
        assert "某小区6号楼" in page and "已脱敏" not in page
    [entry] = _reads(officer)
    assert entry.object_type == "enforcement.lead" and entry.object_id == str(lead.pk)
    assert entry.changes["fields"][1] == ["party_address"]
    reviewer = staff("lr_reviewer", "410402", ["legal_reviewer"])
    page = login(reviewer).get(f"/workbench/enforcement/leads/{lead.pk}/").content.decode()
    assert "平顶山市新华****" in page and "某小区6号楼" not in page and "已脱敏" in page
    assert not _reads(reviewer).exists()
    shop = ef.business(kind="individual")
    own = ef.lead(actor=officer, entity=shop, party_address="平顶山市新华区某街9号")  # 个体工商户: a person
    page = login(reviewer).get(f"/workbench/enforcement/leads/{own.pk}/").content.decode()
    assert "某街9号" not in page and "已脱敏" in page
    firm = ef.lead(actor=officer, entity=ef.business(kind="llc"), party_address="平顶山市新华区工业园3号")
    page = login(reviewer).get(f"/workbench/enforcement/leads/{firm.pk}/").content.decode()
    assert "工业园3号" in page and "已脱敏" not in page
    assert not _reads(reviewer).exists()


def test_the_complaint_page_shows_an_unregistered_businesss_address_as_a_logged_read(login, org, city_leader):
    """The address of a complained-about business that is not registered (often a person's home) is in clear for
    the complaint handler (a logged read of that field, beside the read of the complainant) and masked for a
    leader (no read); a registered company's address is not personal data."""
    from jianguan.complaints.tests.factories import business, complaint, handler

    stall, _ = complaint(entity_address="平顶山市新华区某村12号")
    clerk = handler("ca_handler")
    c = login(clerk)
    for _ in range(2):
        page = c.get(f"/workbench/complaints/{stall.number}/").content.decode()
        assert "某村12号" in page and "已脱敏" not in page
    reads = [e.changes["fields"][1] for e in _reads(clerk)]
    assert ["entity_address"] in reads and len(reads) == 2  # the address, and the complainant's identity
    page = login(city_leader).get(f"/workbench/complaints/{stall.number}/").content.decode()
    assert "平顶山市新华****" in page and "某村12号" not in page and "已脱敏" in page
    assert not _reads(city_leader).exists()
    firm = business(kind="llc", address="平顶山市新华区建设路88号")
    registered, _ = complaint(entity=firm)
    page = login(city_leader).get(f"/workbench/complaints/{registered.number}/").content.decode()
    assert "建设路88号" in page and "已脱敏" not in page
    assert not _reads(city_leader).exists()


def test_the_start_up_application_shows_the_legal_representatives_id_number_and_phone_as_a_logged_read(
        login, org, city_leader):
    """The staff page of a start-up application: the legal representative's ID number and phone in clear for the
    registrar who reviews it (a logged read, once an hour), masked for a leader (no read)."""
    from jianguan.startup import services
    from jianguan.startup.tests import factories as sf

    user = sf.applicant()
    app = services.application_submit(actor=user, application=sf.application(user, capital="20000"))
    id_no = app.legal_rep_id_no
    reg = sf.registrar("pr_reg", "410402")
    c = login(reg)
    for _ in range(2):
        page = c.get(f"/workbench/startup/applications/{app.pk}/").content.decode()
        assert id_no in page and "13900000009" in page and "已脱敏" not in page
    [entry] = _reads(reg)
    assert entry.object_type == "startup.application" and entry.changes["fields"][1] == [
        "legal_rep_id_no", "legal_rep_phone"]
    page = login(city_leader).get(f"/workbench/startup/applications/{app.pk}/").content.decode()
    assert id_no not in page and "13900000009" not in page and "139****0009" in page and "已脱敏" in page
    assert not _reads(city_leader).exists()
