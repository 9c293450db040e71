"""The online-shop monitoring captures encrypted at rest (#14): a finding's HTML and full-page screenshot — a shop page
may show its operator's name and licence photo — are AES-256-GCM ciphertext on disk (the ``v1:<key id>:`` header, no
HTML or PNG signature), while the download gives the very bytes captured, whose SHA-256 and size the finding records.
A file that does not decrypt is never served; the migration encrypts the captures stored before, once, and reverses;
``jianguan crypto rotate`` re-encrypts them. The capture itself is replaced by a fixed page (``capture.fetch``): no
browser, no network."""

from __future__ import annotations

import base64
import hashlib
import importlib
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from jianguan.core import crypto
from jianguan.core.models import AuditEntry
from jianguan.core.storage import encrypted_file_fields, encrypted_media
from jianguan.monitoring import capture, services
from jianguan.monitoring.models import CaptureStatus, OnlineFinding

pytestmark = pytest.mark.django_db

OPERATOR = "经营者：张三 身份证 410402199001011234"
HTML = f"<!DOCTYPE html><html><head><title>某某电器旗舰店</title></head><body>{OPERATOR}</body></html>".encode()
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4  # a screenshot's signature, then pixels
OLD, NEW = base64.b64encode(b"o" * 32).decode(), base64.b64encode(b"n" * 32).decode()


@pytest.fixture
def page(monkeypatch):
    """Every capture fetches this page: ``page["html"]``/``page["png"]`` may be changed before capturing."""
    shown = {"html": HTML, "png": PNG}
    monkeypatch.setattr(capture, "fetch", lambda url: capture.Capture(
        ok=True, final_url=url, http_status=200, title="某某电器旗舰店", html=shown["html"], screenshot=shown["png"]))
    return shown


def _capture(monitor, shop) -> OnlineFinding:
    finding = services.finding_capture(actor=monitor, shop=shop, problem="未亮照经营")
    assert finding.status == CaptureStatus.CAPTURED
    return finding


def on_disk(name: str) -> bytes:
    """The raw bytes on disk, read past the storage."""
    return (Path(encrypted_media().location) / name).read_bytes()


def assert_ciphertext(stored: bytes, plain: bytes, kid: str = "dev") -> None:
    assert stored.startswith(f"v1:{kid}:".encode()) and stored != plain
    assert b"<html" not in stored.lower() and b"\x89PNG\r\n\x1a\n" not in stored
    assert OPERATOR.encode() not in stored and "张三".encode() not in stored
    assert crypto.decrypt_bytes(stored) == plain


def _download(client, finding, kind: str):
    return client.get(f"/workbench/monitoring/findings/{finding.pk}/file/{kind}/")


def test_the_captured_files_are_ciphertext_on_disk_and_download_as_captured(monitor, shop, page, login):
    finding = _capture(monitor, shop)
    assert finding.html_file.startswith("monitoring/evidence/") and finding.html_file.endswith(".html")
    assert finding.screenshot_file.startswith("monitoring/evidence/") and finding.screenshot_file.endswith(".png")
    assert_ciphertext(on_disk(finding.html_file), HTML)
    assert_ciphertext(on_disk(finding.screenshot_file), PNG)
    # the fingerprints are those of what was captured, not of the ciphertext
    assert finding.html_sha256 == hashlib.sha256(HTML).hexdigest() and finding.html_size == len(HTML)
    assert finding.screenshot_sha256 == hashlib.sha256(PNG).hexdigest() and finding.screenshot_size == len(PNG)

    client = login(monitor)
    html = _download(client, finding, "html")
    assert html.status_code == 200
    body = b"".join(html.streaming_content)
    assert body == HTML and hashlib.sha256(body).hexdigest() == finding.html_sha256
    assert int(html["Content-Length"]) == len(HTML)
    assert html["Content-Type"] == "text/plain; charset=utf-8" and html["X-Content-Type-Options"] == "nosniff"
    assert html["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert html["Content-Disposition"].startswith("attachment;")
    assert Path(finding.html_file).name in html["Content-Disposition"]
    png = _download(client, finding, "png")
    assert png.status_code == 200 and png["Content-Type"] == "image/png"
    body = b"".join(png.streaming_content)
    assert body == PNG and hashlib.sha256(body).hexdigest() == finding.screenshot_sha256
    assert png["X-Content-Type-Options"] == "nosniff" and "sandbox" in png["Content-Security-Policy"]
    assert not png["Content-Disposition"].startswith("attachment")
    # the lead quotes the same fingerprints
    lead = services.finding_to_lead(actor=monitor, finding=finding)
    assert finding.html_sha256 in lead.description and finding.screenshot_sha256 in lead.description


def test_two_captures_under_the_same_name_keep_both_files(page):
    first, first_sha = services._store(b"<html>first</html>", "same.html")
    second, second_sha = services._store(b"<html>second</html>", "same.html")
    assert first != second  # the name the storage gave, never an overwrite
    assert encrypted_media().read_plain(first) == b"<html>first</html>"
    assert encrypted_media().read_plain(second) == b"<html>second</html>"
    assert second_sha == hashlib.sha256(b"<html>second</html>").hexdigest() != first_sha


def test_a_missing_file_is_a_404_and_an_altered_or_clear_file_is_not_served(monitor, shop, page, login):
    finding = _capture(monitor, shop)
    client = login(monitor)
    media = Path(encrypted_media().location)
    stored = bytearray(on_disk(finding.screenshot_file))
    stored[-1] ^= 1  # one altered bit
    (media / finding.screenshot_file).write_bytes(bytes(stored))
    with pytest.raises(crypto.DecryptionError):
        _download(client, finding, "png")
    (media / finding.html_file).write_bytes(HTML)  # a file in clear where ciphertext belongs: refused, not served
    with pytest.raises(crypto.DecryptionError, match="不是密文"):
        _download(client, finding, "html")
    (media / finding.html_file).unlink()
    assert _download(client, finding, "html").status_code == 404
    assert _download(client, finding, "pdf").status_code == 404


def test_a_page_too_large_to_store_is_recorded_as_not_captured(monitor, shop, page, settings):
    settings.JIANGUAN_MAX_UPLOAD_BYTES = len(HTML) + 1  # the screenshot is larger
    finding = services.finding_capture(actor=monitor, shop=shop, problem="未亮照经营")
    assert finding.status == CaptureStatus.FAILED and "页面过大" in finding.failure and "整页截图" in finding.failure
    assert finding.html_file == finding.screenshot_file == finding.html_sha256 == ""
    assert not (Path(settings.MEDIA_ROOT) / "monitoring").exists()  # nothing stored, nothing half-stored


def _migration():
    return importlib.import_module("jianguan.monitoring.migrations.0007_encrypt_captures").Migration


def test_the_migration_encrypts_the_captures_stored_in_clear_once_and_reverses(monitor, shop, page):
    captured = {}  # name → the bytes captured
    findings = []
    for i in range(3):
        page["html"], page["png"] = HTML + bytes([i]), PNG + bytes([i])
        findings.append(_capture(monitor, shop))
        captured[findings[-1].html_file], captured[findings[-1].screenshot_file] = page["html"], page["png"]
    media = Path(encrypted_media().location)
    in_clear = [n for f in findings[:2] for n in (f.html_file, f.screenshot_file)]
    for name in in_clear:  # two captures as they were before the migration: in clear
        (media / name).write_bytes(captured[name])
    already = {n: on_disk(n) for n in (findings[2].html_file, findings[2].screenshot_file)}  # encrypted already
    OnlineFinding.objects.create(  # a row whose file is gone from the disk: left alone
        shop=shop, url=shop.url, problem="文件已不在", status=CaptureStatus.CAPTURED,
        captured_at=findings[0].captured_at, unit_id=shop.unit_id, html_file="monitoring/evidence/gone.html")

    run = _migration().operations[0]  # the RunPython, on the models as they were before it (0006)
    before = MigrationLoader(connection).project_state(("monitoring", "0006_feefinding_lead")).apps
    run.code(before, None)
    for name in in_clear:
        assert_ciphertext(on_disk(name), captured[name])
    assert {n: on_disk(n) for n in already} == already  # not encrypted twice
    stored = {n: on_disk(n) for n in in_clear}
    run.code(before, None)  # run again (a migration that stopped half-way): nothing changes
    assert {n: on_disk(n) for n in in_clear} == stored
    assert not (media / "monitoring/evidence/gone.html").exists()

    run.reverse_code(before, None)  # every capture back in clear, as captured
    assert {n: on_disk(n) for n in captured} == captured


def test_the_capture_fields_are_found_by_the_migrations_and_the_rotation():
    found = {f"{m._meta.label}.{name}" for m, names in encrypted_file_fields() for name in names}
    assert {"monitoring.OnlineFinding.html_file", "monitoring.OnlineFinding.screenshot_file"} <= found
    assert OnlineFinding._meta.get_field("html_file").storage is encrypted_media()


@pytest.fixture
def old_key(settings):
    """Everything written from here on — the test's staff, shop and captures — under the key ``old``."""
    settings.JIANGUAN_DATA_KEYS = f"old:{OLD}"


def test_rotation_re_encrypts_the_captures_and_they_still_download(old_key, monitor, shop, page, login, settings):
    finding = _capture(monitor, shop)
    assert encrypted_media().key_id(finding.html_file) == "old"
    settings.JIANGUAN_DATA_KEYS = f"new:{NEW},old:{OLD}"
    call_command("crypto", "rotate")
    for name, plain in ((finding.html_file, HTML), (finding.screenshot_file, PNG)):
        assert_ciphertext(on_disk(name), plain, kid="new")
    entry = AuditEntry.objects.filter(action="core.crypto.rotated", object_id="monitoring.onlinefinding.files").latest("id")
    assert entry.changes["reencrypted"] == [None, 2] and entry.changes["rows"] == [None, 2]
    settings.JIANGUAN_DATA_KEYS = f"new:{NEW}"  # the old key removed: the download still gives what was captured
    client = login(monitor)
    assert b"".join(_download(client, finding, "html").streaming_content) == HTML
    body = b"".join(_download(client, finding, "png").streaming_content)
    assert hashlib.sha256(body).hexdigest() == finding.screenshot_sha256
