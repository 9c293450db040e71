"""The security administrator's policies, applied: password length, login lockout, session idle time."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginFailure, SecurityPolicy


class PolicyLengthValidator:
    """Password minimum length from the security policy (falls back to 10 before the table exists)."""

    def _min(self) -> int:
        try:
            return SecurityPolicy.current().min_password_length
        except Exception:  # the table may not exist yet during the first migrate
            return 10

    def validate(self, password, user=None):
        n = self._min()
        if len(password) < n:
            raise ValidationError(f"密码太短，至少需要 {n} 个字符。", code="password_too_short")

    def get_help_text(self):
        return f"密码至少需要 {self._min()} 个字符。"


def locked_until(username: str) -> dt.datetime | None:
    """When a locked-out username may try again, or None if it may try now."""
    policy = SecurityPolicy.current()
    row = LoginFailure.objects.filter(username=username.lower()).first()
    if row is None or row.count < policy.max_failed_logins:
        return None
    until = row.last_at + dt.timedelta(minutes=policy.lockout_minutes)
    return until if until > timezone.now() else None


def note_failure(username: str) -> None:
    policy = SecurityPolicy.current()
    key = username.lower()[:150]
    with transaction.atomic():
        row, created = LoginFailure.objects.select_for_update().get_or_create(username=key)
        expired = row.last_at + dt.timedelta(minutes=policy.lockout_minutes) < timezone.now()
        if expired and not created:
            row.count = 0
        row.count = F("count") + 1
        row.last_at = timezone.now()
        row.save()


def note_success(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
