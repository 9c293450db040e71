"""A lean WSGI handler for the open data reads (``GET /api/v1/entities…``, ``/lists/…``, ``/inspection-…``) and the
health check (``GET /healthz``).

They are anonymous, read-only and answer in JSON whatever the language, so sessions, authentication, messages,
CSRF, the locale and static files have nothing to do there — yet on a record served from one indexed read they
were a quarter of the time of each request. This handler runs the same views with only the middleware that still
applies: the security headers (HSTS, nosniff, referrer policy, CSP, frame options), the host check and the
refusal of NUL characters. ``/healthz`` is the same case: anonymous, JSON, polled by load balancers and monitors
many times a minute; through the full chain it was slower than a stored record (SQLite, #16). Everything else goes
to the full handler. The per-IP rate limit is in the views
(``portal.api._limited``) and so holds on both.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler, WSGIRequest
from django.core.signals import setting_changed
from django.db import connection
from django.http.request import split_domain_port, validate_host
from django.utils import timezone
from django.utils.http import http_date
from django_ratelimit.core import is_ratelimited

from jianguan.core.rules import rule
from jianguan.portal import records
from jianguan.portal.api import RATE_COUNTED, client_ip

#: Paths served by the lean handler (GET and HEAD only): the portal's open data router.
OPEN_DATA_PREFIXES = ("/api/v1/entities", "/api/v1/lists/", "/api/v1/inspection-plans", "/api/v1/inspection-results")

#: Paths served by the lean handler when they match exactly (GET and HEAD only).
LEAN_PATHS = frozenset({"/healthz"})

#: The middleware kept for them, in the order of settings.MIDDLEWARE.
KEPT_MIDDLEWARE = {
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "jianguan.core.middleware.RejectNulMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "jianguan.core.middleware.SecurityHeadersMiddleware",
}


class OpenDataHandler(WSGIHandler):
    """Django's WSGI handler with the subset ``KEPT_MIDDLEWARE`` of ``settings.MIDDLEWARE``."""

    def load_middleware(self, is_async=False):
        full = settings.MIDDLEWARE
        # BaseHandler reads settings.MIDDLEWARE; swapped only while the chain is built, at start-up
        settings.MIDDLEWARE = [m for m in full if m in KEPT_MIDDLEWARE]
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full

    def get_response(self, request):
        request.user = AnonymousUser()  # no session here: whoever asks is anonymous
        return super().get_response(request)


#: The record path served raw by ``FastReads`` (``/api/v1/entities/{code}``, code letters and digits only).
RECORD_PREFIX = "/api/v1/entities/"

#: Response headers that differ between two responses of the same kind; the others are the kind's template.
_PER_RESPONSE = frozenset({"content-length", "etag", "expires"})

#: The status each kind of answer has; a first answer with another status (404, 429, 503) is not a template.
_EXPECTED = {"healthz": "200 OK", "record": "200 OK", "not-modified": "304 Not Modified"}


class FastReads:
    """The two hottest anonymous reads answered without Django's request and response objects: ``GET /healthz`` and
    ``GET /api/v1/entities/{code}`` (200 from the stored record, or 304 on ``If-None-Match``).

    Under load most of their time went to the framework around them, not to their one query (SQLite, 2 cores, CPU
    per request in-process: the record 394 µs through the lean handler of which the stored read is ~30 µs; the
    health check 258 µs for a ``SELECT 1`` of ~11 µs) — the request object, the middleware chain, the URL resolver,
    Ninja's operation, the response object and its header bookkeeping, ``never_cache``'s header patching, the JSON
    encoding of a constant body.

    What they keep is taken from Django itself, not re-implemented: the first answer of each kind (health check,
    record, 304; over HTTP and over HTTPS) in each process goes through the lean handler, and its status and headers
    — the security headers, CSP, frame options, the view's Content-Type and Cache-Control — become the template
    of that kind, with only Content-Length, ETag and Expires (``never_cache``: now) filled in per answer. The kept
    middleware add nothing that depends on the request beyond HTTPS (HSTS), so the template is exact; a test compares
    both paths header for header. Changed settings (tests) drop the templates.

    Everything this class cannot answer exactly it declines (returns None) and the lean handler answers: HEAD, a
    query string, a code that is not letters and digits, an unknown or missing host (Django's 400), plain HTTP when
    HTTPS is required (Django's redirect), a client over the rate limit (its 429), an unknown code (the 404), a
    database error (the 503 or the 500, logged) — and any setting of CommonMiddleware that acts on the request
    (``DISALLOWED_USER_AGENTS``, ``PREPEND_WWW``, ``USE_X_FORWARDED_HOST``). The per-IP rate limit is counted here
    as in the view; ``request_started`` and ``request_finished`` are sent as Django sends them, so persistent
    connections are aged and health-checked the same way.
    """

    def __init__(self, lean):
        self.lean = lean
        self.templates: dict[tuple[str, bool], tuple[str, list, bytes]] = {}
        self.hosts: dict[str, bool] = {}  # raw Host header -> allowed (bounded below)
        setting_changed.connect(self._forget, weak=False)

    def _forget(self, **kwargs) -> None:
        self.templates = {}
        self.hosts = {}

    def _host_allowed(self, environ) -> bool:
        raw = environ.get("HTTP_HOST")
        if not raw:
            return False
        allowed = self.hosts.get(raw)
        if allowed is None:
            hosts = settings.ALLOWED_HOSTS
            if settings.DEBUG and not hosts:
                hosts = [".localhost", "127.0.0.1", "[::1]"]  # as HttpRequest.get_host
            domain, _port = split_domain_port(raw)
            allowed = bool(domain and validate_host(domain, hosts))
            if len(self.hosts) < 64:  # a client making up hosts cannot grow this
                self.hosts[raw] = allowed
        return allowed

    @staticmethod
    def _secure(environ) -> bool:
        header = settings.SECURE_PROXY_SSL_HEADER
        if header:
            name, value = header
            forwarded = environ.get(name)
            if forwarded is not None:
                return forwarded.split(",", 1)[0].strip() == value
        return environ.get("wsgi.url_scheme") == "https"

    def __call__(self, environ, start_response):
        """The answer, or None if the lean handler must give it."""
        if environ.get("REQUEST_METHOD") != "GET" or environ.get("QUERY_STRING"):
            return None
        path = environ.get("PATH_INFO", "")
        if path == "/healthz":
            kind, code = "healthz", ""
        elif path.startswith(RECORD_PREFIX):
            code = path[len(RECORD_PREFIX):]
            if not (0 < len(code) <= 40 and code.isascii() and code.isalnum()):
                return None
            kind = "record"
        else:
            return None
        if settings.DISALLOWED_USER_AGENTS or settings.PREPEND_WWW or settings.USE_X_FORWARDED_HOST:
            return None
        if not self._host_allowed(environ):
            return None
        secure = self._secure(environ)
        if settings.SECURE_SSL_REDIRECT and not secure:
            return None
        signals.request_started.send(sender=self.__class__, environ=environ)
        try:
            return self._answer(environ, start_response, kind, code, secure)
        except Exception:  # noqa: BLE001  the lean handler answers it again, with Django's error handling and log
            return None
        finally:
            signals.request_finished.send(sender=self.__class__)

    def _answer(self, environ, start_response, kind, code, secure):
        body, tag = b"", ""
        if kind == "healthz":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
        else:
            today = timezone.localdate()
            rate = rule("portal.open_api_rate", on=today)
            if rate:
                limited = is_ratelimited(WSGIRequest(environ), group="portal.open_api", key=client_ip, rate=rate,
                                         increment=True)
                environ[RATE_COUNTED] = limited  # the view, if it answers after all, does not count it again
                if limited:
                    return None  # the view answers 429
            stored = records.get(code, today=today)
            if stored is None:
                return None  # the view answers 404
            body, tag = stored
            if tag in (environ.get("HTTP_IF_NONE_MATCH") or ""):
                kind, body = "not-modified", b""
        template = self.templates.get((kind, secure))
        if template is None:
            return self._learn(environ, start_response, kind, secure)
        status, headers, constant = template
        if kind == "healthz":
            body = constant
        start_response(status, [
            (name, value if (low := name.lower()) not in _PER_RESPONSE else
             str(len(body)) if low == "content-length" else tag if low == "etag" else http_date())
            for name, value in headers
        ])
        return [body]

    def _learn(self, environ, start_response, kind, secure):
        """Answer through the lean handler and keep its status, headers and (health check) body as the template."""
        seen = []

        def capture(status, headers, exc_info=None):
            seen.append((status, headers))
            return start_response(status, headers, exc_info)

        response = self.lean(environ, capture)
        if seen and seen[0][0] == _EXPECTED[kind]:
            body = b""
            if kind == "healthz":
                body = b"".join(response)
                response.close()
                response = [body]
            self.templates[kind, secure] = (seen[0][0], list(seen[0][1]), body)
        return response


def with_open_data_handler(default, *, fast: bool = True):
    """The WSGI application: open data reads to the lean handler, everything else to ``default``. ``fast``: the
    health check and the record answered by ``FastReads`` where it can (off only for a benchmark's baseline)."""
    lean = OpenDataHandler()
    reads = FastReads(lean) if fast else None

    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            path = environ.get("PATH_INFO", "")
            if path in LEAN_PATHS or path.startswith(OPEN_DATA_PREFIXES):
                if reads is not None and (answer := reads(environ, start_response)) is not None:
                    return answer
                return lean(environ, start_response)
        return default(environ, start_response)

    return application
