"""The security administrator's policies, applied: passwords, login lockout (per account and per address), sessions.

Every password login goes through ``LockoutBackend`` (settings.AUTHENTICATION_BACKENDS), so the workbench, the
portal and Django's own ``/admin/login/`` share one lockout and one count of failures: there is no second door.
"""

from __future__ import annotations

import datetime as dt
import ipaddress

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginFailure, SecurityPolicy

IP_PREFIX = "ip:"


def _policy_or_default() -> SecurityPolicy:
    try:
        return SecurityPolicy.current()
    except Exception:  # the table may not exist yet during the first migrate
        return SecurityPolicy()


class PolicyLengthValidator:
    """Password minimum length from the security policy (falls back to the model's default before the table exists)."""

    def validate(self, password, user=None):
        n = _policy_or_default().min_password_length
        if len(password) < n:
            raise ValidationError(f"密码太短，至少需要 {n} 个字符。", code="password_too_short")

    def get_help_text(self):
        return f"密码至少需要 {_policy_or_default().min_password_length} 个字符。"


CHARACTER_CLASSES = (
    ("大写字母", str.isupper),
    ("小写字母", str.islower),
    ("数字", str.isdigit),
    ("符号", lambda c: not c.isalnum()),
)


class PolicyCharacterClassValidator:
    """At least N of the four character classes (upper case, lower case, digits, symbols), N from the policy."""

    def validate(self, password, user=None):
        n = _policy_or_default().min_character_classes
        present = [name for name, test in CHARACTER_CLASSES if any(test(c) for c in password)]
        if len(present) < n:
            raise ValidationError(
                f"密码须包含大写字母、小写字母、数字、符号中的至少 {n} 类（当前只有 {len(present)} 类）。",
                code="password_too_simple",
            )

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {_policy_or_default().min_character_classes} 类。"


def client_ip(request) -> str:
    """The address the request came from (REMOTE_ADDR: a proxy in front is trusted to set it, via gunicorn's
    --forwarded-allow-ips). An in-process test client without one is ``unknown``."""
    raw = (request.META.get("REMOTE_ADDR") if request is not None else "") or ""
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return "unknown"


def _key(username: str) -> str:
    return username.lower()[:150]


def _locked(key: str, limit: int, minutes: int) -> dt.datetime | None:
    row = LoginFailure.objects.filter(username=key).first()
    if row is None or row.count < limit:
        return None
    until = row.last_at + dt.timedelta(minutes=minutes)
    return until if until > timezone.now() else None


def locked_until(username: str, ip: str | None = None) -> dt.datetime | None:
    """When this username (or this address) may try again, or None if it may try now."""
    policy = SecurityPolicy.current()
    until = _locked(_key(username), policy.max_failed_logins, policy.lockout_minutes)
    if until is None and ip:
        until = _locked(IP_PREFIX + ip, policy.max_failed_logins_per_ip, policy.lockout_minutes)
    return until


def _count(key: str, minutes: int) -> None:
    with transaction.atomic():
        row, created = LoginFailure.objects.select_for_update().get_or_create(username=key)
        expired = row.last_at + dt.timedelta(minutes=minutes) < timezone.now()
        if expired and not created:
            row.count = 0
            row.save(update_fields=["count"])
        row.count = F("count") + 1
        row.last_at = timezone.now()
        row.save()


def note_failure(username: str, ip: str | None = None) -> None:
    policy = SecurityPolicy.current()
    _count(_key(username), policy.lockout_minutes)
    if ip:
        _count(IP_PREFIX + ip, policy.lockout_minutes)


def note_success(username: str) -> None:
    # The address's count is left alone: one good password must not wash out an address that tried 40 accounts.
    LoginFailure.objects.filter(username=_key(username)).delete()


def _audit_login(action: str, *, user=None, username: str, ip: str, reason: str = "") -> None:
    from . import audit

    # [before, after] like every other entry, so the audit page and the export read them the same way
    changes = {"username": [None, username[:150]], "ip": [None, ip]}
    if reason:
        changes["reason"] = [None, reason]
    with transaction.atomic():
        audit.record(actor=user if user is not None else f"login:{username[:100]}", action=action,
                     obj=user, object_type="" if user else "auth.user", changes=changes)


class LockoutBackend(ModelBackend):
    """Django's model backend behind the lockout policy, counting and auditing every password login.

    A locked account or address is refused before its password is looked at (PermissionDenied stops Django from
    asking any other backend), so a right password during the lockout is no more use than a wrong one.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get("username")
        if username is None or password is None:
            return None
        ip = client_ip(request)
        if locked_until(username, ip) is not None:
            _audit_login("core.login.refused_locked", username=username, ip=ip)
            raise PermissionDenied("locked")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is None:
            note_failure(username, ip)
            _audit_login("core.login.failed", username=username, ip=ip)
            return None
        note_success(username)
        _audit_login("core.login.succeeded", user=user, username=username, ip=ip)
        return user


def refuse_login(username: str, request, reason: str) -> None:
    """Count and audit a login refused by a form after the backend (e.g. a staff account at the portal) as a failure,
    so the answer and its side effects are those of a wrong password."""
    ip = client_ip(request)
    note_failure(username, ip)
    _audit_login("core.login.failed", username=username, ip=ip, reason=reason)
