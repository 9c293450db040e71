import time

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse

from .models import SecurityPolicy

# Everything is served from our own origin (vendored static files, no CDN); inline scripts are not used.
CSP = (
    "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; script-src 'self'; "
    "font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy on every response, and the idle timeout of the security policy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # The path first: the public site then never loads the session just to find out who is asking.
        if request.path.startswith("/workbench/") and request.user.is_authenticated:
            now = int(time.time())
            last = request.session.get("last_seen")
            idle = SecurityPolicy.current().session_idle_minutes * 60
            if last and now - last > idle:
                logout(request)
                return redirect(f"{reverse('core:login')}?next={request.path}&idle=1")
            if not last or now - last > 30:
                request.session["last_seen"] = now
        response = self.get_response(request)
        if not request.path.startswith(("/api/v1/docs", "/admin/")):
            response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("Permissions-Policy", "camera=(self), geolocation=(), microphone=()")
        return response


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
        if field is None and request.content_type == "application/json" and request.body:
            if b"\x00" in request.body or b"\\u0000" in request.body:
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
