"""``jianguan crypto rotate`` (#14): after a new data key is put first in ``JIANGUAN_DATA_KEYS`` every row is
re-encrypted with it (the old key can then be removed), a new hash key re-hashes the blind indexes so that search
keeps working, an interrupted run resumes, and each run is audited."""

import base64

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from jianguan.complaints.models import Complaint
from jianguan.complaints.services import possible_duplicate_id
from jianguan.complaints.tests.factories import complaint
from jianguan.core import crypto, registers
from jianguan.core.models import AuditEntry, PublicProfile
from jianguan.core.tests.factories import staff
from jianguan.food.registers import SMALLS
from jianguan.food.tests.factories import county_clerk, small
from jianguan.portal import signup
from jianguan.registry.models import Entity
from jianguan.registry.tests.factories import EntityFactory
from jianguan.startup.tests.factories import applicant

pytestmark = pytest.mark.django_db

OLD, NEW = base64.b64encode(b"o" * 32).decode(), base64.b64encode(b"n" * 32).decode()
HASH_OLD, HASH_NEW = base64.b64encode(b"h" * 32).decode(), base64.b64encode(b"H" * 32).decode()


def key_ids(table, column):
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" ORDER BY id')
        return [crypto.key_id(v) for (v,) in cursor.fetchall()]


def test_rotation_re_encrypts_every_row_and_re_hashes_the_blind_index(org, settings):
    settings.JIANGUAN_DATA_KEYS, settings.JIANGUAN_DATA_HASH_KEY = f"old:{OLD}", HASH_OLD
    entities = [EntityFactory(phone=f"1381234567{i}") for i in range(5)]
    c, _ = complaint(person_phone="13800000001", person_address="新华区某路1号")
    staff("rot_clerk", "410402", ["case_officer"], phone="13911112222")
    person = applicant("rot_person", phone="13933334444")
    place = small(actor=county_clerk("rot_food"), address="新华区某村 7 号")
    # the operator puts a new key first, keeps the old one to decrypt, and changes the hash key
    settings.JIANGUAN_DATA_KEYS, settings.JIANGUAN_DATA_HASH_KEY = f"new:{NEW},old:{OLD}", HASH_NEW
    assert possible_duplicate_id(chash=c.content_hash, phone="13800000001", received_on=c.received_on) is None

    call_command("crypto", "rotate", "--batch", "2", "--rehash-from", HASH_OLD)

    assert set(key_ids("registry_entity", "phone")) == {"new"}
    assert set(key_ids("complaints_complaint", "person_address")) == {"new"}
    # the columns added later are rotated too: every model with an encrypted field is found, none is listed by hand
    assert set(key_ids("core_staffprofile", "phone")) - {None} == {"new"}
    assert set(key_ids("core_publicprofile", "phone")) == {"new"}
    assert signup.phone_registered("13933334444")  # the account's blind index was re-hashed with the new key
    assert set(key_ids("food_smallregistration", "address")) == {"new"}
    assert list(SMALLS.model.objects.filter(registers.search_condition(SMALLS, "新华区某村7号"))) == [place]
    assert PublicProfile.objects.get(pk=person.public_profile.pk).phone == "13933334444"
    settings.JIANGUAN_DATA_KEYS = f"new:{NEW}"  # the old key is gone: everything still reads
    assert [e.phone for e in Entity.objects.order_by("id")] == [e.phone for e in entities]
    assert Complaint.objects.get(pk=c.pk).person_address == "新华区某路1号"
    assert possible_duplicate_id(chash=c.content_hash, phone="13800000001", received_on=c.received_on) == c.pk
    entry = AuditEntry.objects.get(action="core.crypto.rotated", object_id="registry.entity")
    assert entry.changes["reencrypted"] == [None, 5] and entry.changes["key"] == [None, "new"]
    # a second run has nothing left to do
    call_command("crypto", "rotate")
    assert AuditEntry.objects.filter(action="core.crypto.rotated", object_id="registry.entity").latest("id") \
        .changes["reencrypted"] == [None, 0]


def test_an_interrupted_rotation_resumes(org, settings, monkeypatch):
    settings.JIANGUAN_DATA_KEYS = f"old:{OLD}"
    for i in range(6):
        EntityFactory(phone=f"1391234567{i}")
    settings.JIANGUAN_DATA_KEYS = f"new:{NEW},old:{OLD}"
    calls = {"n": 0}
    real = crypto.write_rows

    def failing(model, names, rows):
        calls["n"] += 1
        if calls["n"] == 2:
            raise RuntimeError("server killed")
        return real(model, names, rows)

    monkeypatch.setattr(crypto, "write_rows", failing)
    with pytest.raises(RuntimeError):
        crypto.rotate(batch=2)
    assert key_ids("registry_entity", "phone") == ["new", "new", "old", "old", "old", "old"]  # first batch kept
    monkeypatch.undo()
    call_command("crypto", "rotate", "--batch", "2")
    assert set(key_ids("registry_entity", "phone")) == {"new"}


def test_rotation_refuses_hashes_made_by_neither_key_and_rows_it_cannot_decrypt(org, settings):
    settings.JIANGUAN_DATA_KEYS, settings.JIANGUAN_DATA_HASH_KEY = f"old:{OLD}", HASH_OLD
    complaint(person_phone="13800000001")
    settings.JIANGUAN_DATA_HASH_KEY = HASH_NEW
    with pytest.raises(CommandError, match="--rehash-from 给错了密钥"):
        call_command("crypto", "rotate", "--rehash-from", base64.b64encode(b"x" * 32).decode())
    settings.JIANGUAN_DATA_KEYS = f"new:{NEW}"  # the old data key was dropped before rotating
    with pytest.raises(CommandError, match="密钥「old」未配置"):
        call_command("crypto", "rotate")


def test_newkey_prints_a_usable_key(capsys):
    call_command("crypto", "newkey")
    key = capsys.readouterr().out.strip()
    assert crypto.parse_keys(f"k:{key}")[1]["k"] != crypto.parse_keys(f"k:{crypto.new_key()}")[1]["k"]
