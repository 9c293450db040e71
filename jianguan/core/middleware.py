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
        if request.user.is_authenticated and request.path.startswith("/workbench/"):
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
