"""A monitored page is captured from the test's own live server (same machine): HTML and screenshot are stored
encrypted, with the SHA-256 of what was captured and the time; the finding becomes a lead in one action and the
lead a case."""

import datetime as dt
import hashlib
import socket
from pathlib import Path

import pytest
from django.conf import settings

from jianguan.core.errors import ValidationFailed
from jianguan.core.storage import encrypted_media
from jianguan.enforcement import services as enforcement
from jianguan.enforcement.models import Lead, LeadSource
from jianguan.enforcement.tests.factories import head, officer
from jianguan.monitoring import services
from jianguan.monitoring.capture import chromium_path
from jianguan.monitoring.models import CaptureStatus

pytestmark = [pytest.mark.django_db(transaction=True),
              pytest.mark.skipif(chromium_path() is None, reason="chromium not installed")]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again on exit: nothing listens there


def test_captured_page_has_hashes_and_becomes_a_lead_then_a_case(monitor, shop, live_server):
    url = f"{live_server.url}/"
    finding = services.finding_capture(actor=monitor, shop=shop, url=url, problem="未在首页显著位置公示营业执照信息")
    assert finding.status == CaptureStatus.CAPTURED and finding.http_status == 200
    storage = encrypted_media()
    html, png = storage.read_plain(finding.html_file), storage.read_plain(finding.screenshot_file)
    assert b"<html" in html.lower() and png.startswith(b"\x89PNG\r\n\x1a\n")
    for name in (finding.html_file, finding.screenshot_file):  # on disk: ciphertext, the key id in its header
        on_disk = (Path(settings.MEDIA_ROOT) / name).read_bytes()
        assert on_disk.startswith(b"v1:dev:") and b"<html" not in on_disk.lower()
        assert b"\x89PNG\r\n\x1a\n" not in on_disk
    assert finding.html_sha256 == hashlib.sha256(html).hexdigest()
    assert finding.screenshot_sha256 == hashlib.sha256(png).hexdigest()
    assert finding.html_size == len(html) and finding.screenshot_size == len(png)
    assert finding.captured_at is not None

    lead = services.finding_to_lead(actor=monitor, finding=finding)
    assert services.finding_to_lead(actor=monitor, finding=finding).pk == lead.pk  # double click: same lead
    assert Lead.objects.count() == 1
    assert lead.source_kind == LeadSource.MONITORING and lead.entity_id == shop.entity_id
    assert finding.html_sha256 in lead.description and finding.screenshot_sha256 in lead.description
    assert url in lead.description

    officers = [officer("xh_o1"), officer("xh_o2")]
    case = enforcement.case_file(actor=officers[0], lead=lead, case_type="product_quality",
                                 title="网店未亮照经营", officers=officers, party_kind="organisation",
                                 on=lead.discovered_on + dt.timedelta(days=1), approver=head(unit=lead.unit.code))
    lead.refresh_from_db()
    assert case.pk and lead.status == "filed"


def test_unreachable_url_is_recorded_without_a_capture_and_cannot_become_a_lead(monitor, shop):
    url = f"http://127.0.0.1:{_closed_port()}/listing"
    finding = services.finding_capture(actor=monitor, shop=shop, url=url, problem="销售假冒商品")
    assert finding.status == CaptureStatus.FAILED
    assert finding.failure.startswith("无法打开该网址")
    assert finding.html_file == finding.screenshot_file == finding.html_sha256 == finding.screenshot_sha256 == ""
    assert not (Path(settings.MEDIA_ROOT) / "monitoring").exists()  # no file written, nothing faked
    with pytest.raises(ValidationFailed, match="未能取证"):
        services.finding_to_lead(actor=monitor, finding=finding)
    assert Lead.objects.count() == 0


def test_an_error_page_is_not_taken_as_the_listing(monitor, shop, live_server):
    finding = services.finding_capture(actor=monitor, shop=shop, url=f"{live_server.url}/no-such-listing/",
                                       problem="虚假宣传")
    assert finding.status == CaptureStatus.FAILED and finding.http_status == 404
    assert "HTTP 404" in finding.failure and finding.screenshot_sha256 == ""
