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
                     "startup.Application.legal_rep_phone", "startup.Shareholder.id_no"}


def test_start_up_applicants_and_shareholders_are_encrypted(org):
    from jianguan.startup.models import Shareholder
    from jianguan.startup.tests.factories import applicant, application, id_number

    app = application(applicant())
    assert raw("startup_application", "legal_rep_id_no", app.pk).startswith("v1:")
    assert "13900000009" not in raw("startup_application", "legal_rep_phone", app.pk)
    holder = Shareholder.objects.filter(application=app).first()
    assert raw("startup_shareholder", "id_no", holder.pk).startswith("v1:")
    assert Shareholder.objects.get(pk=holder.pk).id_no == id_number(11)
