"""Issued documents encrypted at rest (#14): the .docx and PDF of an enforcement document (and of a special
equipment 责令改正通知书) are AES-256-GCM ciphertext in their columns — no zip or PDF signature, no ID number —
while the model, the workbench and the API download give the very bytes issued, whose SHA-256 is still the recorded
``content_hash``. A wrong key, a missing key or a file in clear fails loudly; the migration encrypts the rows
written before and reverses; ``jianguan crypto rotate`` re-encrypts them under a new key."""

from __future__ import annotations

import base64
import hashlib
import io
import zipfile

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.urls import reverse

from jianguan.core import crypto
from jianguan.core.crypto_migrations import decrypt_files, encrypt_files
from jianguan.core.models import ApiToken, AuditEntry
from jianguan.enforcement import documents
from jianguan.enforcement.document_models import Document

from .docfixtures import make_case, make_penalty

pytestmark = pytest.mark.django_db

ID_NO = "41040219850312771X"
ADDRESS = "新华区建设路加密巷17号"
OLD, NEW = base64.b64encode(b"o" * 32).decode(), base64.b64encode(b"n" * 32).decode()


def raw(table: str, column: str, pk: int) -> bytes:
    with connection.cursor() as cursor:
        cursor.execute(f'SELECT "{column}" FROM "{table}" WHERE id = %s', [pk])
        value = cursor.fetchone()[0]
    return bytes(value)


def _document_xml(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("word/document.xml").decode()


def issue(officer) -> Document:
    case = make_case(officers=[officer], entity=None, party_name="张加密", party_kind="individual",
                     party_id_no=ID_NO, party_address=ADDRESS)
    make_penalty(case)
    return documents.document_issue(case=case, kind="filing_approval", actor=officer)


def test_the_issued_files_hold_ciphertext_and_read_back_as_issued(district_officer):
    doc = issue(district_officer)
    again = Document.objects.get(pk=doc.pk)
    word, pdf = bytes(again.docx), bytes(again.pdf)
    # the document does carry the natural person's ID number and address: that is why it is encrypted
    assert ID_NO in _document_xml(word) and ADDRESS in _document_xml(word)
    assert pdf.startswith(b"%PDF-")
    assert hashlib.sha256(word).hexdigest() == again.content_hash  # the recorded hash is over the plaintext
    for column, plain in (("docx", word), ("pdf", pdf)):
        stored = raw("enforcement_document", column, doc.pk)
        assert stored.startswith(b"v1:dev:") and stored != plain
        assert not stored.startswith(b"PK\x03\x04") and not zipfile.is_zipfile(io.BytesIO(stored))
        assert b"%PDF" not in stored[:64] and ID_NO.encode() not in stored and ADDRESS.encode() not in stored
        assert hashlib.sha256(stored).hexdigest() != again.content_hash
        assert crypto.decrypt_bytes(stored) == plain


def test_workbench_and_api_downloads_return_the_bytes_issued(login, client, district_officer):
    doc = issue(district_officer)
    word = bytes(Document.objects.get(pk=doc.pk).docx)
    page = login(district_officer).get(reverse("enforcement_documents:download", args=[doc.pk, "docx"]))
    assert page.status_code == 200 and page.content == word
    assert hashlib.sha256(page.content).hexdigest() == page["X-Content-SHA256"] == doc.content_hash
    token = ApiToken.generate()
    ApiToken.objects.create(user=district_officer, name="t", prefix=token[3:11], key_hash=ApiToken.hash(token))
    api = client.get(f"/api/v1/enforcement/documents/{doc.pk}/pdf", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert api.status_code == 200 and api.content == bytes(Document.objects.get(pk=doc.pk).pdf)
    assert api.content.startswith(b"%PDF-")


def test_a_wrong_or_missing_key_or_a_file_in_clear_fails_loudly(district_officer, settings):
    settings.JIANGUAN_DATA_KEYS = f"old:{OLD}"
    doc = issue(district_officer)
    settings.JIANGUAN_DATA_KEYS = f"new:{NEW}"  # the key it was written with is gone
    with pytest.raises(crypto.DecryptionError, match="old"):
        Document.objects.get(pk=doc.pk)
    settings.JIANGUAN_DATA_KEYS = f"old:{NEW}"  # the right key id, the wrong key
    with pytest.raises(crypto.DecryptionError):
        Document.objects.get(pk=doc.pk)
    settings.JIANGUAN_DATA_KEYS = f"old:{OLD}"
    stored = bytearray(raw("enforcement_document", "docx", doc.pk))
    stored[-1] ^= 1  # one altered bit
    with connection.cursor() as cursor:
        cursor.execute("UPDATE enforcement_document SET docx = %s WHERE id = %s", [bytes(stored), doc.pk])
    with pytest.raises(crypto.DecryptionError):
        Document.objects.get(pk=doc.pk)
    with connection.cursor() as cursor:  # a file in clear where ciphertext belongs
        cursor.execute("UPDATE enforcement_document SET docx = %s WHERE id = %s", [b"PK\x03\x04 clear", doc.pk])
    with pytest.raises(crypto.DecryptionError):
        Document.objects.get(pk=doc.pk)
    with pytest.raises(FieldError):
        Document.objects.filter(docx=b"PK").count()


def test_the_migration_encrypts_existing_files_once_and_reverses(district_officer):
    docs = [issue(district_officer) for _ in range(3)]
    plain = {d.pk: (bytes(Document.objects.get(pk=d.pk).docx), bytes(Document.objects.get(pk=d.pk).pdf))
             for d in docs}
    with connection.cursor() as cursor:  # the rows as they were before the migration
        for pk, (word, pdf) in plain.items():
            cursor.execute("UPDATE enforcement_document SET docx = %s, pdf = %s WHERE id = %s", [word, pdf, pk])
    historical = MigrationLoader(connection).project_state(
        ("enforcement", "0013_provisional_service_payment_push")).apps.get_model("enforcement", "Document")
    assert encrypt_files(historical, ["docx", "pdf"], batch=2) == 3
    stored = {pk: raw("enforcement_document", "docx", pk) for pk in plain}
    assert all(v.startswith(b"v1:dev:") and ID_NO.encode() not in v for v in stored.values())
    assert {d.pk: (bytes(d.docx), bytes(d.pdf)) for d in Document.objects.all()} == plain
    assert encrypt_files(historical, ["docx", "pdf"], batch=2) == 0  # run again: nothing to do
    assert {pk: raw("enforcement_document", "docx", pk) for pk in plain} == stored
    assert decrypt_files(historical, ["docx", "pdf"], batch=2) == 3
    assert {pk: (raw("enforcement_document", "docx", pk), raw("enforcement_document", "pdf", pk))
            for pk in plain} == plain


def test_rotation_re_encrypts_the_issued_files(district_officer, settings):
    settings.JIANGUAN_DATA_KEYS = f"old:{OLD}"
    docs = [issue(district_officer) for _ in range(3)]
    issued = {d.pk: bytes(Document.objects.get(pk=d.pk).docx) for d in docs}
    settings.JIANGUAN_DATA_KEYS = f"new:{NEW},old:{OLD}"
    call_command("crypto", "rotate", "--batch", "2")
    assert {crypto.key_id_bytes(raw("enforcement_document", c, pk)) for pk in issued for c in ("docx", "pdf")} \
        == {"new"}
    entry = AuditEntry.objects.filter(action="core.crypto.rotated", object_id="enforcement.document").latest("id")
    assert entry.changes["reencrypted"] == [None, 3]
    settings.JIANGUAN_DATA_KEYS = f"new:{NEW}"  # the old key removed: everything still reads, hashes still match
    for doc in Document.objects.all():
        assert bytes(doc.docx) == issued[doc.pk] and hashlib.sha256(bytes(doc.docx)).hexdigest() == doc.content_hash


def test_the_equipment_order_files_are_encrypted_too(org):
    from jianguan.core.crypto import encrypted_models

    found = {f"{m._meta.label}.{name}" for m, fields, _h in encrypted_models() for name in fields}
    assert {"enforcement.Document.docx", "enforcement.Document.pdf", "equipment.RectificationOrder.docx",
            "equipment.RectificationOrder.pdf"} <= found
