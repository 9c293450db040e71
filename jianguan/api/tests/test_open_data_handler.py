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
from django.utils.http import parse_http_date_safe

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
        if hasattr(result, "close"):  # Django's response; FastReads answers with a list
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
    # and the full chain answered it: sessions (Vary: Cookie) and CSRF (its cookie on a page with a form)
    assert "Cookie" in headers.get("Vary", "") and "csrftoken=" in headers.get("Set-Cookie", "")


# --- FastReads: the health check and the record without Django's request and response objects ------------------------


def call(app, path: str, **environ):
    """(status, headers, body, raw result) of one GET through ``app`` with the test's connection kept; the value of
    Expires (the clock's) is replaced by whether it is an HTTP date."""
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "QUERY_STRING": "", "SERVER_NAME": "testserver",
           "SERVER_PORT": "80", "HTTP_HOST": "testserver", "REMOTE_ADDR": "10.0.0.1", "SERVER_PROTOCOL": "HTTP/1.1",
           "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr, **environ}
    seen = {}

    def start_response(status, headers, exc_info=None):
        seen["status"] = status
        seen["headers"] = [(k, v if k != "Expires" else parse_http_date_safe(v) is not None) for k, v in headers]

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        result = app(env, start_response)
        if result is None:
            return None
        body = b"".join(result)
        if hasattr(result, "close"):
            result.close()
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body, result


def fast_reads():
    """A FastReads over a new lean handler (its middleware read the settings as they are now)."""
    from jianguan.api.handler import FastReads, OpenDataHandler

    return FastReads(OpenDataHandler())


@pytest.fixture
def fast():
    return fast_reads()


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_fast_answers_are_the_lean_handlers_header_for_header(entity, scheme, settings):
    settings.SECURE_HSTS_SECONDS = 3600  # so that HTTPS answers differ from HTTP ones (HSTS)
    fast = fast_reads()
    over = {"wsgi.url_scheme": scheme}
    record = f"/api/v1/entities/{entity.uscc}"
    for path in (record, "/healthz"):
        lean = call(fast.lean, path, **over)
        learned = call(fast, path, **over)  # the first of its kind: answered through Django, kept as the template
        answer = call(fast, path, **over)
        assert isinstance(answer[3], list)  # answered by FastReads itself, not by the lean handler
        assert answer[:3] == learned[:3] == lean[:3] and answer[0] == "200 OK"
        assert ("Strict-Transport-Security" in dict(answer[1])) is (scheme == "https")
    tag = dict(call(fast, record, **over)[1])["ETag"]
    lean = call(fast.lean, record, HTTP_IF_NONE_MATCH=tag, **over)
    call(fast, record, HTTP_IF_NONE_MATCH=tag, **over)
    answer = call(fast, record, HTTP_IF_NONE_MATCH=tag, **over)
    assert isinstance(answer[3], list) and answer[:3] == lean[:3] and answer[0].startswith("304")
    assert ("Expires", True) in call(fast, "/healthz", **over)[1]  # never_cache's, filled in per answer


def test_fast_reads_hand_everything_else_to_the_lean_handler(entity, fast, settings):
    record = f"/api/v1/entities/{entity.uscc}"
    call(fast, record)
    assert call(fast, record) is not None  # learned
    # what it does not answer itself: a query string, HEAD, another host, another path, an unknown code
    assert call(fast, record, QUERY_STRING="x=1") is None
    assert call(fast, record, REQUEST_METHOD="HEAD") is None
    assert call(fast, record, HTTP_HOST="evil.example") is None
    assert call(fast, record + "/") is None and call(fast, "/api/v1/entities/91410402MA00-0000X") is None
    assert call(fast, "/api/v1/entities/91410402MA0000000X") is None  # not found: the view's 404
    # the host check follows the settings (the remembered hosts are forgotten when they change)
    settings.ALLOWED_HOSTS = ["jianguan.example.gov.cn"]
    assert call(fast, record) is None


def test_a_database_failure_is_the_health_checks_503(fast, monkeypatch):
    from django.db import OperationalError

    class Broken:
        vendor = "sqlite"

        def cursor(self):
            raise OperationalError("disk I/O error")

    monkeypatch.setattr("jianguan.api.handler.connection", Broken())
    monkeypatch.setattr("jianguan.core.views.connection", Broken())
    status, _, body = wsgi("/healthz")
    assert status == 503 and b'"unreachable"' in body


def test_a_request_the_fast_path_hands_on_is_counted_once(entity):
    RuleValue.objects.create(key="portal.open_api_rate", value="2/m", effective_from=dt.date(2000, 1, 1))
    # unknown codes: counted by FastReads, answered 404 by the view, which must not count them again
    assert [wsgi("/api/v1/entities/91410402MA0000000X", addr="10.9.9.11")[0] for _ in range(3)] == [404, 404, 429]
