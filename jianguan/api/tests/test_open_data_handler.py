"""The production WSGI application sends open data reads through the lean handler (``api.handler``), which keeps
what protects them — security headers, the host check, the NUL refusal, the per-IP rate limit — and nothing
else; every other request still gets the full middleware."""

from __future__ import annotations

import datetime as dt
import io
import sys
from urllib.parse import urlencode

import pytest
from django.core import signals
from django.db import close_old_connections

from jianguan.core.models import RuleValue
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def wsgi(path: str, *, method: str = "GET", query: str = "", host: str = "testserver", addr: str = "10.0.0.1"):
    """Call the real ``jianguan.wsgi.application`` as gunicorn does: (status, headers, body)."""
    from jianguan.wsgi import application

    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": addr,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.url_scheme": "http",
        "wsgi.errors": sys.stderr,
    }
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"], seen["headers"] = int(status.split()[0]), dict(headers)

    # as Django's test client does: closing the connection would end the test's transaction
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = application(environ, start_response)
        body = b"".join(result)
        result.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body


@pytest.fixture
def entity(org):
    return EntityFactory(name="平顶山市精简通道测试有限公司")


def test_the_record_through_the_lean_handler_keeps_the_security_headers(entity):
    status, headers, body = wsgi(f"/api/v1/entities/{entity.uscc}")
    assert status == 200 and "平顶山市精简通道测试有限公司" in body.decode()
    assert headers["X-Content-Type-Options"] == "nosniff" and headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin" and "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["ETag"] and headers["Cache-Control"].startswith("public")
    # no session, no locale: nothing varies by cookie or language
    assert "Set-Cookie" not in headers and "Cookie" not in headers.get("Vary", "")
    assert "Content-Language" not in headers


def test_search_lists_and_404_through_the_lean_handler(entity):
    assert wsgi("/api/v1/entities", query=urlencode({"q": "精简通道"}))[0] == 200
    assert wsgi("/api/v1/lists/abnormal")[0] == 200
    status, _, body = wsgi("/api/v1/entities/91410402MA0000000X")
    assert status == 404 and b'"not_found"' in body


def test_nul_and_unknown_host_are_refused(entity):
    assert wsgi("/api/v1/entities/\x00")[0] == 400
    assert wsgi("/api/v1/entities", query="q=%00")[0] == 400
    assert wsgi(f"/api/v1/entities/{entity.uscc}", host="evil.example")[0] == 400


def test_the_per_ip_rate_limit_holds(entity):
    RuleValue.objects.create(key="portal.open_api_rate", value="2/m", effective_from=dt.date(2000, 1, 1))
    path = f"/api/v1/entities/{entity.uscc}"
    assert [wsgi(path, addr="10.9.9.9")[0] for _ in range(3)] == [200, 200, 429]
    status, headers, body = wsgi(path, addr="10.9.9.9")
    assert status == 429 and int(headers["Retry-After"]) > 0 and b'"rate_limited"' in body
    assert wsgi(path, addr="10.9.9.10")[0] == 200


def test_the_health_check_through_the_lean_handler():
    status, headers, body = wsgi("/healthz")
    assert status == 200 and b'"database": "ok"' in body
    assert headers["X-Content-Type-Options"] == "nosniff" and "default-src 'self'" in headers["Content-Security-Policy"]
    assert "no-cache" in headers["Cache-Control"]  # never_cache: a proxy must not answer for the server
    assert "Set-Cookie" not in headers and "Content-Language" not in headers  # no session, no locale
    assert wsgi("/healthz", host="evil.example")[0] == 400


def test_everything_else_gets_the_full_handler(entity):
    status, headers, _ = wsgi("/api/v1/me")
    assert status == 401  # the staff API: sessions and tokens
    assert wsgi("/api/v1/entities", method="POST")[0] == 405
    status, headers, body = wsgi("/")
    # Chinese only (no LocaleMiddleware since the language switch went, so no Content-Language): the page says so
    assert status == 200 and b'<html lang="zh-hans">' in body
