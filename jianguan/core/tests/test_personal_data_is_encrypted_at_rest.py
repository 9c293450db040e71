"""Personal data encrypted at rest (#14): the columns hold AES-256-GCM ciphertext (read with raw SQL), the ORM reads
plaintext, exact search goes through the keyed hash, content lookups are refused, and a wrong or missing key fails
loudly instead of answering with a wrong value."""

import base64
import datetime as dt

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured
from django.db import connection

from jianguan.complaints.models import Complaint
from jianguan.complaints.tests.factories import complaint
from jianguan.core import crypto
from jianguan.registry import importexport, seeding, services
from jianguan.registry.models import Entity, EntityChange
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db

KEY_A = base64.b64encode(b"a" * 32).decode()
KEY_B = base64.b64encode(b"b" * 32).decode()


def raw(table: str, column: str, pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])
        return cursor.fetchone()[0]


def test_entity_personal_columns_hold_ciphertext_and_read_back_as_plaintext(org):
    entity = EntityFactory(legal_rep_id_no="41040219900101123X", phone="13812345678")
    stored_id, stored_phone = raw("registry_entity", "legal_rep_id_no", entity.pk), raw("registry_entity", "phone",
                                                                                        entity.pk)
    assert stored_id.startswith("v1:dev:") and "41040219900101123X" not in stored_id
    assert stored_phone.startswith("v1:dev:") and "12345678" not in stored_phone
    assert stored_phone != raw("registry_entity", "phone", EntityFactory(phone="13812345678").pk)  # fresh nonce
    again = Entity.objects.get(pk=entity.pk)
    assert (again.legal_rep_id_no, again.phone) == ("41040219900101123X", "13812345678")
    assert list(Entity.objects.filter(pk=entity.pk).values_list("phone", flat=True)) == ["13812345678"]
    # a blank value stays blank (and is the one equality an encrypted column answers)
    blank = EntityFactory(phone="")
    assert raw("registry_entity", "phone", blank.pk) == ""
    assert list(Entity.objects.filter(phone="").values_list("pk", flat=True)) == [blank.pk]


def test_content_lookups_on_an_encrypted_column_are_refused(org):
    EntityFactory(phone="13812345678")
    for lookup in ({"phone": "13812345678"}, {"phone__icontains": "1381"}, {"legal_rep_id_no__startswith": "4104"},
                   {"phone__in": ["13812345678"]}):
        with pytest.raises(FieldError, match="加密字段"):
            list(Entity.objects.filter(**lookup))


def test_the_complaint_duplicate_probe_searches_the_keyed_hash(org):
    first, _ = complaint(person_phone="13800000001", person_address="平顶山市新华区某小区3号楼")
    assert raw("complaints_complaint", "person_phone", first.pk).startswith("v1:")
    assert "某小区" not in raw("complaints_complaint", "person_address", first.pk)
    assert raw("complaints_complaint", "person_phone_hash", first.pk) == crypto.blind_index("138 0000 0001")
    second, _ = complaint(person_phone="138 0000 0001", received_on=first.received_on + dt.timedelta(days=2))
    assert second.possible_duplicate_of_id == first.pk
    other, _ = complaint(person_phone="13800000009", received_on=first.received_on + dt.timedelta(days=2))
    assert other.possible_duplicate_of_id is None
    assert Complaint.objects.get(pk=first.pk).person_address == "平顶山市新华区某小区3号楼"


def test_a_wrong_or_missing_key_fails_loudly(org, settings):
    settings.JIANGUAN_DATA_KEYS = f"k1:{KEY_A}"
    entity = EntityFactory(phone="13812345678")
    assert raw("registry_entity", "phone", entity.pk).startswith("v1:k1:")
    settings.JIANGUAN_DATA_KEYS = f"k1:{KEY_B}"  # same id, another key
    with pytest.raises(crypto.DecryptionError, match="无法用密钥「k1」解密"):
        Entity.objects.get(pk=entity.pk)
    settings.JIANGUAN_DATA_KEYS = f"k2:{KEY_B}"  # the key that wrote it is gone
    with pytest.raises(crypto.DecryptionError, match="密钥「k1」未配置"):
        Entity.objects.get(pk=entity.pk)
    settings.JIANGUAN_DATA_KEYS = f"k2:{KEY_B},k1:{KEY_A}"  # old keys still decrypt
    assert Entity.objects.get(pk=entity.pk).phone == "13812345678"
    with connection.cursor() as cursor:  # plaintext (or anything else) where ciphertext belongs
        cursor.execute("UPDATE registry_entity SET phone = %s WHERE id = %s", ["13812345678", entity.pk])
    with pytest.raises(crypto.DecryptionError, match="不是密文"):
        Entity.objects.get(pk=entity.pk)


def test_malformed_keys_are_refused():
    with pytest.raises(ImproperlyConfigured, match="expected 32"):
        crypto.parse_keys("k1:" + base64.b64encode(b"short").decode())
    with pytest.raises(ImproperlyConfigured, match="given twice"):
        crypto.parse_keys(f"k1:{KEY_A},k1:{KEY_B}")
    assert crypto.parse_keys(f"new:{KEY_B},old:{KEY_A}")[0] == "new"


def test_bulk_writers_encrypt_seeded_and_imported_rows(org, tmp_path):
    seeding.seed_entities(30, seed=3, today=dt.date(2026, 11, 20))
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_rep_id_no, phone FROM registry_entity")
        rows = cursor.fetchall()
    assert len(rows) == 30 and all(i.startswith("v1:") and (p == "" or p.startswith("v1:")) for i, p in rows)
    seeded = {e.uscc: (e.legal_rep_id_no, e.phone) for e in Entity.objects.all()}
    assert all(len(i) == 18 for i, _p in seeded.values())
    path = tmp_path / "e.csv"
    importexport.export_entities(Entity.objects.all(), path, "csv")
    EntityChange.objects.all().delete()
    Entity.objects.all().delete()
    assert importexport.import_entities(path).ok
    with connection.cursor() as cursor:
        cursor.execute("SELECT legal_rep_id_no FROM registry_entity")
        assert all(r[0].startswith("v1:") for r in cursor.fetchall())
    assert {e.uscc: (e.legal_rep_id_no, e.phone) for e in Entity.objects.all()} == seeded


def test_history_and_audit_keep_personal_values_masked(org, city_leader):
    from jianguan.core.models import AuditEntry

    entity = EntityFactory(legal_rep_id_no="410402199001011234", phone="13812345678")
    services.entity_change(actor=city_leader, entity=entity, phone="13987654321", legal_rep_id_no="410402198002023456")
    change = EntityChange.objects.filter(entity=entity).latest("id").changes
    assert change["phone"] == ["138****5678", "139****4321"]
    assert change["legal_rep_id_no"] == ["410***********1234", "410***********3456"]
    entry = AuditEntry.objects.filter(action="registry.entity.changed").latest("id")
    assert "13987654321" not in str(entry.changes) and "410402198002023456" not in str(entry.changes)


def test_every_listed_personal_column_is_encrypted():
    found = {f"{model._meta.label}.{name}" for model, fields, _h in crypto.encrypted_models() for name in fields}
    assert found >= {"registry.Entity.legal_rep_id_no", "registry.Entity.phone", "complaints.Complaint.person_phone",
                     "complaints.Complaint.person_address", "startup.Application.legal_rep_id_no",
                     "startup.Application.legal_rep_phone", "startup.Shareholder.id_no",
                     "enforcement.Case.party_id_no", "enforcement.Case.party_address", "enforcement.Lead.party_address",
                     "credit.AnnualReport.address", "credit.AnnualReport.phone", "core.StaffProfile.phone",
                     "core.PublicProfile.phone", "startup.PhoneVerification.phone", "startup.Objection.contact",
                     "food.SmallRegistration.address", "complaints.Complaint.entity_address"}


def test_start_up_applicants_and_shareholders_are_encrypted(org):
    from jianguan.startup.models import Shareholder
    from jianguan.startup.tests.factories import applicant, application, id_number

    app = application(applicant())
    assert raw("startup_application", "legal_rep_id_no", app.pk).startswith("v1:")
    assert "13900000009" not in raw("startup_application", "legal_rep_phone", app.pk)
    holder = Shareholder.objects.filter(application=app).first()
    assert raw("startup_shareholder", "id_no", holder.pk).startswith("v1:")
    assert Shareholder.objects.get(pk=holder.pk).id_no == id_number(11)


def test_case_parties_reports_staff_and_account_phones_hold_ciphertext(org, city_leader, django_capture_on_commit_callbacks):
    """The columns added to the encryption in the second part of #14, read with raw SQL: ciphertext; read through
    the ORM: the plaintext, so documents, pages and exports built on the models keep working."""
    from jianguan.core.models import PublicProfile, StaffProfile
    from jianguan.core.tests.factories import staff
    from jianguan.credit.tests.factories import report
    from jianguan.enforcement.models import Case, Lead
    from jianguan.enforcement.tests import factories as ef
    from jianguan.portal import signup
    from jianguan.startup.models import PhoneVerification
    from jianguan.startup.tests.factories import applicant

    officer = ef.officer("crypt_officer")
    lead = ef.lead(actor=officer, party_address="平顶山市新华区某小区5号楼")
    case = ef.filed_case(actor=officer, officers=[officer, ef.officer("crypt_officer2")], the_lead=lead,
                         party_kind="individual", party_id_no="41040219900101123X")
    rep = report(EntityFactory(), 2025, phone="13812340000", address="平顶山市卫东区某村8号")
    clerk = staff("crypt_clerk", "410402", ["case_officer"], phone="13911112222")
    person = applicant("crypt_person", phone="13933334444")
    with django_capture_on_commit_callbacks(execute=True):
        code = signup.verification_send(phone="13955556666")
    stored = {
        ("enforcement_case", "party_id_no", case.pk): "41040219900101123X",
        ("enforcement_case", "party_address", case.pk): "某小区5号楼",
        ("enforcement_lead", "party_address", lead.pk): "某小区5号楼",
        ("credit_annualreport", "phone", rep.pk): "13812340000",
        ("credit_annualreport", "address", rep.pk): "某村8号",
        ("core_staffprofile", "phone", clerk.profile.pk): "13911112222",
        ("core_publicprofile", "phone", person.public_profile.pk): "13933334444",
        ("startup_phoneverification", "phone", code.pk): "13955556666",
    }
    for (table, column, pk), clear in stored.items():
        value = raw(table, column, pk)
        assert value.startswith("v1:dev:") and clear not in value, (table, column, value)
    assert raw("core_publicprofile", "phone_hash", person.public_profile.pk) == crypto.blind_index("13933334444")
    assert raw("startup_phoneverification", "phone_hash", code.pk) == crypto.blind_index("13955556666")
    again = Case.objects.get(pk=case.pk)
    assert (again.party_id_no, again.party_address) == ("41040219900101123X", "平顶山市新华区某小区5号楼")
    assert Lead.objects.get(pk=lead.pk).party_address == "平顶山市新华区某小区5号楼"
    assert StaffProfile.objects.get(pk=clerk.profile.pk).phone == "13911112222"
    assert PublicProfile.objects.get(pk=person.public_profile.pk).phone == "13933334444"
    assert PhoneVerification.objects.get(pk=code.pk).phone == "13955556666"
    assert "13955556666" not in str(code)


def test_sign_up_finds_phones_by_their_keyed_hash(org, django_capture_on_commit_callbacks):
    """The portal's "is this number registered?" and the SMS rate limit search the blind index: a number held by
    an account under another login name is found, a code sent a moment ago limits the next one."""
    from jianguan.portal import signup
    from jianguan.startup.tests.factories import applicant

    applicant("not_the_phone", phone="139 3333 4444")  # the login name is not the phone here
    assert signup.phone_registered("13933334444") and not signup.phone_registered("13933334445")
    with django_capture_on_commit_callbacks(execute=True):
        signup.verification_send(phone="13955556666")
    with pytest.raises(signup.RateLimited):
        signup.verification_send(phone="13955556666")
    with django_capture_on_commit_callbacks(execute=True):
        signup.verification_send(phone="13955556667")  # another number is not limited


def test_staff_phone_and_report_contact_are_masked_in_the_audit_log(org, city_leader, sysadmin):
    from jianguan.core import services as core_services
    from jianguan.core.models import AuditEntry, OrgUnit
    from jianguan.credit import services as credit_services
    from jianguan.credit.tests.factories import report, report_data

    user = core_services.staff_create(actor=sysadmin, username="masked_staff", full_name="甲", roles=[],
                                      unit=OrgUnit.objects.get(code="410402"), staff_code="M-1", phone="13911112222")
    core_services.staff_update(actor=sysadmin, profile=user.profile, phone="13977778888")
    entries = str([e.changes for e in AuditEntry.objects.filter(action__startswith="core.staff.")])
    assert "139****2222" in entries and "139****8888" in entries
    assert "13911112222" not in entries and "13977778888" not in entries
    firm = EntityFactory()
    report(firm, 2025, filed_on=dt.date(2026, 3, 1))
    credit_services.report_correct(actor=city_leader, entity=firm, year=2025, today=dt.date(2026, 3, 2),
                                   data=report_data(phone="13966667777", address="平顶山市新华区建设路99号"))
    changes = AuditEntry.objects.filter(action="credit.report.corrected").latest("id").changes
    assert changes["phone"][1] == "139****7777" and changes["address"][1] == "平顶山市新华****"


def test_objectors_small_registrations_and_unregistered_businesses_hold_ciphertext(org):
    """The third part of #14: the objector's contact, a 三小 registration's place (often the operator's home) and
    the address of a complained-about business that is not registered (often a person's place)."""
    from jianguan.food.models import SmallRegistration
    from jianguan.food.tests.factories import county_clerk, small
    from jianguan.startup.models import Objection
    from jianguan.startup.tests.factories import applicant, application

    objection = Objection.objects.create(application=application(applicant()), name="债权人甲",
                                         contact="13800001111，新华区某小区2号楼", content="尚欠货款 3 万元")
    reg = small(actor=county_clerk(), address="新华区某村 7 号（王某家）")
    c, _ = complaint(entity_name="无名小摊", entity_address="新华区某小区门口")
    stored = {("startup_objection", "contact", objection.pk): "13800001111",
              ("food_smallregistration", "address", reg.pk): "某村",
              ("complaints_complaint", "entity_address", c.pk): "某小区"}
    for (table, column, pk), clear in stored.items():
        value = raw(table, column, pk)
        assert value.startswith("v1:dev:") and clear not in value, (table, column, value)
    assert raw("food_smallregistration", "address_hash", reg.pk) == crypto.blind_index("新华区某村7号（王某家）")
    assert Objection.objects.get(pk=objection.pk).contact == "13800001111，新华区某小区2号楼"
    assert SmallRegistration.objects.get(pk=reg.pk).address == "新华区某村 7 号（王某家）"
    assert Complaint.objects.get(pk=c.pk).entity_address == "新华区某小区门口"


def test_the_small_register_searches_the_place_by_its_keyed_hash_and_masks_it_in_history(org, login):
    """The same-place check, the register's search (page and API) go through the keyed hash; the list does not sort
    by the ciphertext; a corrected place is kept masked in the register's history and the audit log."""
    from django.urls import reverse

    from jianguan.core import registers
    from jianguan.core.errors import ValidationFailed
    from jianguan.core.models import AuditEntry, RegisterEvent
    from jianguan.food.registers import SMALLS
    from jianguan.food.tests.factories import county_clerk, small

    clerk = county_clerk()
    here = small(actor=clerk, name="老王烩面馆", address="新华区中兴路 18 号")
    there = small(actor=clerk, address="新华区建设路 3 号")
    with pytest.raises(ValidationFailed, match="同一场所已有"):  # the same place written without its spaces
        small(actor=clerk, name="老王烩面馆", address="新华区中兴路18号")
    c = login(clerk)
    page = c.get(reverse("food:smalls_list"), {"q": "新华区中兴路18号"}).content.decode()
    assert here.number in page and there.number not in page
    assert c.get(reverse("food:smalls_list"), {"q": "中兴路"}).status_code == 200  # a part finds nothing, no error
    api = c.get("/api/v1/food/smalls", {"q": "新华区建设路 3 号"}).json()
    assert [row["id"] for row in api["items"]] == [there.pk]
    assert registers._sort_field(SMALLS, next(col for col in SMALLS.columns if col.name == "address")) is None
    registers.correct_row(SMALLS, actor=clerk, row=here, raw={"address": "新华区中兴路 20 号"}, reason="门牌号登记错误")
    event = RegisterEvent.objects.filter(register=SMALLS.label, kind="corrected").latest("id")
    assert event.changes[0]["before"] == event.changes[0]["after"] == "新华区中兴路****"
    entries = str(AuditEntry.objects.filter(action="registers.corrected").values_list("changes", flat=True))
    assert "18 号" not in entries and "20 号" not in entries
    assert c.get(reverse("food:smalls_list"), {"q": "新华区中兴路20号"}).content.decode().count(here.number) >= 1
