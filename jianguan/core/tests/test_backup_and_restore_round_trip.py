"""``jianguan backup --output FILE`` and ``jianguan restore FILE`` (#14): a round trip brings back the database, the
audit chain (still verifying against its anchors), the media files and the anchor file; a damaged archive is
refused before anything is touched."""

import datetime as dt
import hashlib
import io
import tarfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from jianguan.core import audit
from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.storage import encrypted_file_fields, encrypted_media

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(org, sysadmin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (settings.MEDIA_ROOT / "inspections").mkdir(parents=True)
    (settings.MEDIA_ROOT / "inspections" / "photo.jpg").write_bytes(b"\xff\xd8\xff photo")
    for i in range(5):
        with transaction.atomic():
            audit.record(actor=sysadmin, action="test.thing.changed", object_type="test", object_id=str(i),
                         changes={"n": [i, i + 1]})
    audit.seal(wait=True)
    audit.make_anchor(dt.date(2026, 12, 4))
    return tmp_path


def test_a_backup_restores_database_audit_chain_media_and_anchors(world, settings):
    archive = world / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    units, entries = OrgUnit.objects.count(), AuditEntry.objects.count()
    # the disaster: data gone, a file gone, the anchors gone
    OrgUnit.objects.filter(kind="station").update(name="被改动")
    AuditEntry.objects.filter(seq__gt=3)._raw_delete(AuditEntry.objects.db)
    (settings.MEDIA_ROOT / "inspections" / "photo.jpg").unlink()
    audit.anchor_path().unlink()
    call_command("restore", str(archive))
    assert OrgUnit.objects.count() == units and not OrgUnit.objects.filter(name="被改动").exists()
    assert AuditEntry.objects.count() == entries
    assert audit.verify_with_anchors().ok and len(audit.read_anchors()) == 1
    assert (settings.MEDIA_ROOT / "inspections" / "photo.jpg").read_bytes() == b"\xff\xd8\xff photo"


def test_a_damaged_archive_is_refused_and_nothing_is_touched(world, settings):
    archive = world / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    damaged = world / "damaged.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(damaged, "w:gz") as dst:
        for m in src.getmembers():
            data = src.extractfile(m).read()
            if m.name.startswith("media/"):
                data = data + b"tampered"
                m.size = len(data)
            dst.addfile(m, io.BytesIO(data))
    OrgUnit.objects.filter(kind="station").update(name="之后的改动")
    with pytest.raises(CommandError, match="校验和不符"):
        call_command("restore", str(damaged))
    assert OrgUnit.objects.filter(name="之后的改动").exists()  # the database was not touched


def test_backup_writes_a_manifest_with_checksums(world):
    import json

    archive = world / "b.tar.gz"
    call_command("backup", "--output", str(archive))
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert set(manifest["files"]) == {n for n in tar.getnames() if n != "manifest.json"}
    assert manifest["format"] == "jianguan-backup/1" and "media/inspections/photo.jpg" in manifest["files"]
    assert Path(archive).stat().st_size > 0


def test_personal_data_is_ciphertext_in_the_backup_and_plaintext_after_restore_with_the_key(world, settings,
                                                                                             monkeypatch):
    """#14: the archive holds the encrypted columns as they are in the database (no plaintext ID number, phone or
    address in the dump) and the files of the encrypting storage as they are on disk — uploads and monitoring
    captures alike: ciphertext, no PNG or HTML in the archive's media; a restore reads them back with the key from
    the environment, and without it fails."""
    import base64
    import subprocess

    from django.db import connection

    from jianguan.complaints.models import Complaint
    from jianguan.complaints.tests.factories import PNG, complaint, upload
    from jianguan.core import backup, crypto
    from jianguan.registry.models import Entity
    from jianguan.registry.tests.factories import EntityFactory

    settings.JIANGUAN_DATA_KEYS = "bk:" + base64.b64encode(b"k" * 32).decode()
    entity = EntityFactory(legal_rep_id_no="410402199001017777", phone="13877776666")
    filed, _ = complaint(person_phone="13955554444", person_address="卫东区备份路88号",
                         uploads=[upload("id-card.png", PNG)])
    evidence = filed.evidence.get()
    finding = _captured_finding(monkeypatch)
    issued = _issued_document()
    archive = world / "backup.tar.gz"
    call_command("backup", "--output", str(archive))
    # every file named by a field of the encrypting storage (core.storage.encrypted_file_fields)
    named = {name for model, fields in encrypted_file_fields()
             for row in model._base_manager.values_list(*fields) for name in row if name}
    assert {evidence.file.name, finding.html_file, finding.screenshot_file} <= named
    with tarfile.open(archive) as tar:
        tar.extract("database.dump", world / "x", filter="data")
        in_backup = tar.extractfile(f"media/{evidence.file.name}").read()
        archived = {name: tar.extractfile(f"media/{name}").read() for name in named}
    assert in_backup.startswith(b"v1:bk:") and b"PNG" not in in_backup  # the evidence file is ciphertext
    assert crypto.decrypt_bytes(in_backup) == PNG
    for name, data in archived.items():  # so is every other file of the storage, the monitoring captures included
        assert data.startswith(b"v1:bk:") and b"PNG" not in data and b"<html" not in data.lower(), name
    assert crypto.decrypt_bytes(archived[finding.html_file]) == CAPTURED_HTML
    dump = world / "x" / "database.dump"
    if connection.vendor == "postgresql":  # the custom format is compressed: read its data as SQL text
        text = subprocess.run([backup.pg_bin("pg_restore"), "--data-only", "-f", "-", str(dump)], check=True,
                              capture_output=True).stdout
    else:
        text = dump.read_bytes()
    for secret in ("410402199001017777", "13877776666", "13955554444", "卫东区备份路88号"):
        assert secret.encode() not in text
    assert b"v1:bk:" in text
    assert b"word/document.xml" not in text  # the issued .docx (a zip, its file names in clear) is ciphertext too
    Entity.objects.filter(pk=entity.pk).update(phone="")  # the disaster
    (settings.MEDIA_ROOT / evidence.file.name).unlink()
    call_command("restore", str(archive))
    restored = Entity.objects.get(pk=entity.pk)
    assert (restored.legal_rep_id_no, restored.phone) == ("410402199001017777", "13877776666")
    assert Complaint.objects.get(pk=filed.pk).person_address == "卫东区备份路88号"
    assert (settings.MEDIA_ROOT / evidence.file.name).read_bytes() == in_backup
    assert Complaint.objects.get(pk=filed.pk).evidence.get().file.open("rb").read() == PNG
    assert encrypted_media().read_plain(finding.screenshot_file) == CAPTURED_PNG
    restored_doc = type(issued).objects.get(pk=issued.pk)
    assert bytes(restored_doc.docx) == bytes(issued.docx) and bytes(restored_doc.pdf) == bytes(issued.pdf)
    assert hashlib.sha256(bytes(restored_doc.docx)).hexdigest() == issued.content_hash
    settings.JIANGUAN_DATA_KEYS = "bk:" + base64.b64encode(b"w" * 32).decode()  # a restore without the right key
    with pytest.raises(crypto.DecryptionError):
        Entity.objects.get(pk=entity.pk)
    with pytest.raises(crypto.DecryptionError):
        evidence.file.storage.open(evidence.file.name)


CAPTURED_HTML = "<html><body>经营者：张三</body></html>".encode()
CAPTURED_PNG = b"\x89PNG\r\n\x1a\nshop page"


def _captured_finding(monkeypatch):
    """A monitoring finding whose page (a fixed one: no browser) names the shop's operator."""
    from jianguan.core.tests.factories import staff
    from jianguan.enforcement.tests.factories import business
    from jianguan.monitoring import capture, services

    monkeypatch.setattr(capture, "fetch", lambda url: capture.Capture(
        ok=True, final_url=url, http_status=200, title="店铺", html=CAPTURED_HTML, screenshot=CAPTURED_PNG))
    monitor = staff("bk_monitor", "410402", ["online_monitor"], credential=False, name="网监员")
    shop = services.shop_create(actor=monitor, platform="taobao", shop_name="备份店", url="https://bk.example.cn/",
                                entity=business())
    return services.finding_capture(actor=monitor, shop=shop, problem="未亮照经营")


def _issued_document():
    """An enforcement document issued for a natural person (their ID number and address inside the .docx)."""
    from jianguan.core.tests.factories import staff
    from jianguan.enforcement import documents
    from jianguan.enforcement.document_models import Document
    from jianguan.enforcement.tests.docfixtures import make_case

    officer = staff("backup_officer", "410402", ["case_officer"])
    case = make_case(officers=[officer], entity=None, party_name="张备份", party_kind="individual",
                     party_id_no="410402198001017711", party_address="新华区备份街1号")
    doc = documents.document_issue(case=case, kind="filing_approval", actor=officer)
    return Document.objects.get(pk=doc.pk)
