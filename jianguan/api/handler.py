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
from django.core.handlers.wsgi import WSGIHandler

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


def with_open_data_handler(default):
    """The WSGI application: open data reads to the lean handler, everything else to ``default``."""
    lean = OpenDataHandler()

    def application(environ, start_response):
        if environ.get("REQUEST_METHOD") in ("GET", "HEAD"):
            path = environ.get("PATH_INFO", "")
            if path in LEAN_PATHS or path.startswith(OPEN_DATA_PREFIXES):
                return lean(environ, start_response)
        return default(environ, start_response)

    return application
