import time

from django.conf import settings
from django.contrib.auth import logout
from django.core.exceptions import RequestDataTooBig
from django.shortcuts import redirect
from django.urls import reverse

from .models import SecurityPolicy

# Everything is served from our own origin (vendored static files, no CDN); inline scripts are not used.
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


#: Where a staff session is used: the workbench, the API (session auth) and the system administration.
SESSION_PATHS = ("/workbench/", "/api/", "/admin/")


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
                return redirect(f"{reverse('core:login')}?next={request.path}&idle=1")
            if request.path.startswith("/admin/"):
                return redirect(f"{reverse('admin:login')}?next={request.path}")
            # /api/: the request goes on as anonymous, and the API answers 401 in its own format.
        response = self.get_response(request)
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


class RejectNulMiddleware:
    """Refuse a request that carries a NUL character in its query string or JSON body, with a 400 that names it.

    PostgreSQL cannot store or compare a string holding NUL, so such a value would otherwise reach the database and
    end in a 500 (Django's form fields already refuse it; query parameters and JSON bodies of the API did not).
    One check here instead of one in every view that reads a parameter.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        field = next((name for name, values in request.GET.lists() if any("\x00" in v for v in values)), None)
        if field is None and "\x00" in request.path:
            field = "path"
        if field is None and request.content_type == "application/json":
            try:
                body = request.body
            except RequestDataTooBig:
                return _too_big(request)
            if b"\x00" in body or b"\\u0000" in body:
                field = "body"
        if field is None:
            return self.get_response(request)
        message = f"请求参数「{field}」含有不允许的空字符（NUL）"
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
