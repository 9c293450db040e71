import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import redirect
from django.urls import reverse

from .models import SecurityPolicy

# Everything is served from our own origin (vendored static files, no CDN); inline scripts are not used.
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


#: Where a staff session is used: the workbench, the API (session auth) and the system administration.
SESSION_PATHS = ("/workbench/", "/api/", "/admin/")
#: What a session waiting for its second factor may still reach.
TWO_FACTOR_OPEN = ("/workbench/2fa/", "/workbench/logout/", "/workbench/login/", "/admin/logout/")
#: What a session whose password has expired may still reach (the second factor comes first).
PASSWORD_OPEN = (*TWO_FACTOR_OPEN, "/workbench/password/")


def _send_to(request, path: str, query: str):
    """A redirect to a gate (the login, the second factor, the password change). An htmx request from a page (the
    bell's badge) gets no body to swap in, which would nest a whole page inside the element: it gets a 204, and a
    full-page HX-Redirect unless the page is already the gate."""
    from urllib.parse import quote, urlsplit

    if not request.headers.get("HX-Request"):
        return redirect(f"{path}?{query}{quote(request.get_full_path())}")
    from django.http import HttpResponse

    response = HttpResponse(status=204)
    current = urlsplit(request.headers.get("HX-Current-URL", ""))
    if not current.path.startswith(path):
        here = current.path + (f"?{current.query}" if current.query else "")
        response["HX-Redirect"] = f"{path}?{query}{quote(here or '/workbench/')}"
    return response


def session_expired(request, policy: SecurityPolicy, now: int) -> bool:
    """True when the session has been idle longer than the policy allows, or has lived longer than its absolute
    limit since login; refreshes the idle clock otherwise."""
    session = request.session
    last = session.get("last_seen")
    started = session.get("login_at")
    if (last and now - last > policy.session_idle_minutes * 60) or (
        started and now - started > policy.session_absolute_minutes * 60
    ):
        return True
    if not started:
        session["login_at"] = now  # a session from before the absolute limit existed: it starts counting now
    if not last or now - last > 30:
        session["last_seen"] = now
    return False


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response, and the idle and absolute session timeouts of the security policy
    on every path a staff session reaches (the workbench, the API and /admin/)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The path and the cookie first: the public site then never loads the session just to find out who is asking.
        if (
            request.path.startswith(SESSION_PATHS)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and hasattr(request, "session")
            and request.user.is_authenticated
            and session_expired(request, SecurityPolicy.current(), int(time.time()))
        ):
            logout(request)
            if request.path.startswith("/workbench/"):
                return _send_to(request, reverse("core:login"), "idle=1&next=")
            if request.path.startswith("/admin/"):
                return redirect(f"{reverse('admin:login')}?next={request.path}")
            # /api/: the request goes on as anonymous, and the API answers 401 in its own format.
        if (
            request.path.startswith(SESSION_PATHS)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and hasattr(request, "session")
            and request.user.is_authenticated
            and not request.path.startswith(TWO_FACTOR_OPEN)
        ):
            from . import twofactor

            if twofactor.otp_required(request.user) and not twofactor.is_verified(request.user):
                if request.path.startswith("/api/"):
                    from django.contrib.auth.models import AnonymousUser

                    request.user = AnonymousUser()  # a session without its second factor is no session here
                else:
                    return _send_to(request, reverse("core:two_factor"), "next=")
        if (
            request.path.startswith(SESSION_PATHS)
            and settings.SESSION_COOKIE_NAME in request.COOKIES
            and hasattr(request, "session")
            and request.user.is_authenticated
            and not request.path.startswith(PASSWORD_OPEN)
        ):
            from . import security

            if security.password_expired(request):
                if request.path.startswith("/api/"):
                    from django.contrib.auth.models import AnonymousUser

                    request.user = AnonymousUser()  # an expired password opens nothing until it is changed
                else:
                    return _send_to(request, reverse("core:password_change"), "expired=1&next=")
        response = self.get_response(request)
        if response.status_code == 302 and request.headers.get("HX-Request") and response["Location"].startswith(
            reverse("core:login")
        ):
            # login_required's answer to a page's htmx request once the session is gone: the whole page goes.
            from django.http import HttpResponse

            location, response = response["Location"], HttpResponse(status=204)
            response["HX-Redirect"] = location
        # Django's admin and Ninja's API docs use no inline script either, so they get the same policy.
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        return response


def _too_big(request):
    message = f"请求内容超过 {settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)} MB 的上限"
    if request.path.startswith("/api/"):
        from django.http import JsonResponse

        from jianguan.api.errors import error_body

        return JsonResponse(error_body("payload_too_large", message), status=400, json_dumps_params={"ensure_ascii": False})
    from django.http import HttpResponseBadRequest

    return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


#: The longest text accepted in one field from outside (a complaint's account of events, a case report). A law
#: names shorter bounds for some fields; those are on the fields themselves.
MAX_TEXT_CHARS = 20_000
#: The longest query-string value (a search fragment, a filter, a cursor).
MAX_QUERY_CHARS = 1_000
#: The largest whole number accepted in a JSON body: the range of a database integer column.
MAX_INT = 2_147_483_647


def _json_problem(value, path: str = "") -> tuple[str, str] | None:
    """The first (field, message) in a parsed JSON value that is outside the bounds, or None."""
    if isinstance(value, str):
        if "\x00" in value:
            return path or "body", "含有不允许的空字符（NUL）"
        if len(value) > MAX_TEXT_CHARS:
            return path or "body", f"超过 {MAX_TEXT_CHARS:,} 个字符的上限"
    elif isinstance(value, bool):
        return None
    elif isinstance(value, int):
        if abs(value) > MAX_INT:
            return path or "body", f"数值超出范围（绝对值不得超过 {MAX_INT:,}）"
    elif isinstance(value, dict):
        for key, item in value.items():
            found = _json_problem(item, f"{path}.{key}" if path else str(key))
            if found:
                return found
    elif isinstance(value, list):
        for i, item in enumerate(value):
            found = _json_problem(item, f"{path}[{i}]")
            if found:
                return found
    return None


def input_problem(request) -> tuple[str, str] | None:
    """(field, reason) for the first value from outside that no view should ever see, or None."""
    import json

    for name, values in request.GET.lists():
        for v in values:
            if "\x00" in v:
                return name, "含有不允许的空字符（NUL）"
            if len(v) > MAX_QUERY_CHARS:
                return name, f"超过 {MAX_QUERY_CHARS:,} 个字符的上限"
    if "\x00" in request.path:
        return "path", "含有不允许的空字符（NUL）"
    if request.method in ("POST", "PUT", "PATCH"):
        if request.content_type == "application/json":
            body = request.body
            if b"\x00" in body:
                return "body", "含有不允许的空字符（NUL）"
            try:
                data = json.loads(body) if body else None
            except ValueError:
                return None  # malformed JSON: the API's own parser answers it
            return _json_problem(data)
        if request.content_type == "application/x-www-form-urlencoded":
            # Multipart forms are left to their views (an upload view installs its own size-limited handler).
            for name, values in request.POST.lists():
                for v in values:
                    if len(v) > MAX_TEXT_CHARS:
                        return name, f"超过 {MAX_TEXT_CHARS:,} 个字符的上限"
    return None


class RejectNulMiddleware:
    """Refuse a request carrying a value no view should see — a NUL character, a text longer than any field's bound,
    a whole number beyond a database integer — with a 400 that names the field (#14 finding 7).

    PostgreSQL cannot store or compare a string holding NUL, and an integer beyond its column ends in a 500; a
    million-character note would be stored. One check here instead of one in every view that reads a parameter;
    fields with a tighter bound (the law's) carry it themselves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            problem = input_problem(request)
        except RequestDataTooBig:
            return _too_big(request)
        if problem is None:
            return self.get_response(request)
        field, reason = problem
        message = f"请求参数「{field}」{reason}"
        if request.path.startswith("/api/"):
            from django.http import JsonResponse

            from jianguan.api.errors import error_body

            return JsonResponse(
                error_body("bad_request", message, [{"field": field, "message": message}]),
                status=400,
                json_dumps_params={"ensure_ascii": False},
            )
        from django.http import HttpResponseBadRequest

        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")


class OutOfRangeMiddleware:
    """A number from outside that overflows the database (a huge id in a URL, a cursor) is the client's error:
    400, not 500. (The API answers the same from its own exception handler.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        from django.db import DataError

        if isinstance(exception, OverflowError | DataError):
            from django.http import HttpResponseBadRequest

            return HttpResponseBadRequest("请求中的数值超出范围", content_type="text/plain; charset=utf-8")
        return None
