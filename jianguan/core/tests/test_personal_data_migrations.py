"""The data migrations of #14 (``core.crypto_migrations``) encrypt rows written before encryption existed, fill the
blind index, skip what is already encrypted when run again, and decrypt on the way back. Run here with the historical
models of the migration state (the plain-text columns), over rows put back to plaintext with raw SQL."""

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from jianguan.complaints.models import Complaint
from jianguan.complaints.tests.factories import complaint
from jianguan.core import crypto
from jianguan.core.crypto_migrations import decrypt_columns, encrypt_columns
from jianguan.registry.models import Entity
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def historical(app, migration, model):
    return MigrationLoader(connection).project_state((app, migration)).apps.get_model(app, model)


def column(table, name):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{name}" FROM "{table}" ORDER BY id')
        return [v for (v,) in cursor.fetchall()]


def test_existing_rows_are_encrypted_once_and_decrypted_on_the_way_back(org):
    entities = [EntityFactory(phone=f"1381234567{i}", legal_rep_id_no=f"41040219900101{i:03d}X") for i in range(5)]
    with connection.cursor() as cursor:  # as the rows were before the migration
        for e in entities:
            cursor.execute("UPDATE registry_entity SET phone = %s, legal_rep_id_no = %s WHERE id = %s",
                           [e.phone, e.legal_rep_id_no, e.pk])
    plain = historical("registry", "0005_personal_columns_text", "Entity")
    assert encrypt_columns(plain, ["legal_rep_id_no", "phone"], batch=2) == 5
    stored = column("registry_entity", "phone")
    assert all(v.startswith("v1:dev:") for v in stored)
    assert [e.phone for e in Entity.objects.order_by("id")] == [e.phone for e in entities]
    assert encrypt_columns(plain, ["legal_rep_id_no", "phone"], batch=2) == 0  # run again: nothing to do
    assert column("registry_entity", "phone") == stored
    decrypt_columns(plain, ["legal_rep_id_no", "phone"], batch=2)
    assert column("registry_entity", "phone") == [e.phone for e in entities]


def test_the_complaint_migration_fills_the_blind_index_from_the_plaintext(org):
    c, _ = complaint(person_phone="13800000001", person_address="新华区某路1号")
    with connection.cursor() as cursor:
        cursor.execute("UPDATE complaints_complaint SET person_phone = %s, person_address = %s, person_phone_hash = ''"
                       " WHERE id = %s", ["13800000001", "新华区某路1号", c.pk])
    plain = historical("complaints", "0004_personal_columns_text", "Complaint")
    encrypt_columns(plain, ["person_phone", "person_address"], {"person_phone_hash": "person_phone"})
    assert column("complaints_complaint", "person_phone_hash") == [crypto.blind_index("13800000001")]
    again = Complaint.objects.get(pk=c.pk)
    assert (again.person_phone, again.person_address) == ("13800000001", "新华区某路1号")


def test_the_second_round_of_migrations_encrypts_accounts_and_case_parties(org):
    """core 0012 and enforcement 0012: rows written in clear before them are encrypted, the public account's phone
    gets its keyed hash (the sign-up searches it), and the way back restores the plaintext."""
    from jianguan.core.models import PublicProfile
    from jianguan.enforcement.models import Case
    from jianguan.enforcement.tests import factories as ef
    from jianguan.startup.tests.factories import applicant

    profile = applicant("mig_person", phone="13933334444").public_profile
    officer = ef.officer("mig_officer")
    case = ef.filed_case(actor=officer, officers=[officer, ef.officer("mig_officer2")], party_id_no="410402199001011234",
                         party_address="新华区某路2号")
    with connection.cursor() as cursor:  # as the rows were before the migrations
        cursor.execute("UPDATE core_publicprofile SET phone = %s, phone_hash = '' WHERE id = %s",
                       ["13933334444", profile.pk])
        cursor.execute("UPDATE enforcement_case SET party_id_no = %s, party_address = %s WHERE id = %s",
                       ["410402199001011234", "新华区某路2号", case.pk])
    accounts = historical("core", "0011_personal_columns_text", "PublicProfile")
    assert encrypt_columns(accounts, ["phone"], {"phone_hash": "phone"}) == 1
    assert column("core_publicprofile", "phone_hash") == [crypto.blind_index("13933334444")]
    assert PublicProfile.objects.get(pk=profile.pk).phone == "13933334444"
    cases = historical("enforcement", "0011_party_personal_columns_text", "Case")
    assert encrypt_columns(cases, ["party_id_no", "party_address"]) == 1
    assert all(v.startswith("v1:") for v in column("enforcement_case", "party_id_no"))
    assert Case.objects.get(pk=case.pk).party_address == "新华区某路2号"
    decrypt_columns(cases, ["party_id_no", "party_address"])
    assert column("enforcement_case", "party_id_no") == ["410402199001011234"]


def test_the_third_round_encrypts_objectors_small_registrations_and_complained_addresses(org):
    """startup 0009, food 0006 and complaints 0007: rows written in clear before them are encrypted, the 三小 place
    gets its keyed hash (the same-place check and the register's search use it), the way back restores them."""
    from jianguan.food.models import SmallRegistration
    from jianguan.food.tests.factories import county_clerk, small
    from jianguan.startup.models import Objection
    from jianguan.startup.tests.factories import applicant, application

    objection = Objection.objects.create(application=application(applicant()), name="甲", contact="13800001111",
                                         content="异议")
    reg = small(actor=county_clerk(), address="新华区某村 7 号")
    c, _ = complaint(entity_name="无名小摊", entity_address="新华区某小区门口")
    with connection.cursor() as cursor:  # as the rows were before the migrations
        cursor.execute("UPDATE startup_objection SET contact = %s WHERE id = %s", ["13800001111", objection.pk])
        cursor.execute("UPDATE food_smallregistration SET address = %s, address_hash = '' WHERE id = %s",
                       ["新华区某村 7 号", reg.pk])
        cursor.execute("UPDATE complaints_complaint SET entity_address = %s WHERE id = %s", ["新华区某小区门口", c.pk])
    objections = historical("startup", "0008_objection_contact_text", "Objection")
    smalls = historical("food", "0005_small_address_text", "SmallRegistration")
    complaints = historical("complaints", "0006_entity_address_text", "Complaint")
    assert encrypt_columns(objections, ["contact"]) == 1
    assert encrypt_columns(smalls, ["address"], {"address_hash": "address"}) == 1
    assert encrypt_columns(complaints, ["entity_address"]) == 1
    assert [v[:3] for v in column("startup_objection", "contact") + column("food_smallregistration", "address")
            + column("complaints_complaint", "entity_address")] == ["v1:"] * 3
    assert column("food_smallregistration", "address_hash") == [crypto.blind_index("新华区某村7号")]
    assert Objection.objects.get(pk=objection.pk).contact == "13800001111"
    assert SmallRegistration.objects.get(pk=reg.pk).address == "新华区某村 7 号"
    assert Complaint.objects.get(pk=c.pk).entity_address == "新华区某小区门口"
    assert encrypt_columns(smalls, ["address"], {"address_hash": "address"}) == 0  # run again: nothing to do
    decrypt_columns(smalls, ["address"], {"address_hash": "address"})
    decrypt_columns(complaints, ["entity_address"])
    assert column("food_smallregistration", "address") == ["新华区某村 7 号"]
    assert column("complaints_complaint", "entity_address") == ["新华区某小区门口"]
