"""The security administrator's policies, applied: passwords, login lockout (per account and per address), sessions.

Every password login goes through ``LockoutBackend`` (settings.AUTHENTICATION_BACKENDS), so the workbench, the
portal and Django's own ``/admin/login/`` share one lockout and one count of failures: there is no second door.
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import re

from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .models import PASSWORD_HISTORY_KEPT, LoginFailure, LoginSession, PasswordHistory, SecurityPolicy

IP_PREFIX = "ip:"

#: A login name typed as a mainland mobile number (spaces and hyphens ignored).
MOBILE_LOGIN_RE = re.compile(r"^1[3-9]\d{9}$")
#: ``auth_user.username`` of an account whose login is a mobile number: this prefix and the number's keyed hash.
PHONE_LOGIN_PREFIX = "phone."


def phone_login_name(phone: str, *, key: bytes | None = None) -> str:
    """The stored login name of an account that logs in with ``phone`` (a person's portal account): the phone's keyed
    hash (``crypto.blind_index``, the blind-index key), never the number, so ``auth_user`` holds no phone in clear
    (#14). Deterministic, so the login finds the account by the number typed; ``jianguan crypto rotate`` re-derives
    it when the hash key changes."""
    from . import crypto

    return PHONE_LOGIN_PREFIX + crypto.blind_index(phone, key=key)


def login_name(typed: str | None) -> str | None:
    """The ``username`` a typed login means: a mobile number is looked up by its keyed hash, anything else as typed.
    Every door (workbench, portal, ``/admin/``) and the lockout count go through this, so they agree on the key."""
    if not typed:
        return typed
    compact = re.sub(r"[\s\-]", "", typed)
    return phone_login_name(compact) if MOBILE_LOGIN_RE.match(compact) else typed


def hash_phone_usernames(sender, instance, **kwargs) -> None:
    """``pre_save`` of the user model: a login name that is a mobile number is stored as its keyed hash, whatever
    door the account came through (portal sign-up, ``/admin/``, the workbench, a factory). The login maps a typed
    number the same way, so the account still logs in with the number."""
    username = getattr(instance, instance.USERNAME_FIELD, "") or ""
    mapped = login_name(username)
    if mapped != username:
        setattr(instance, instance.USERNAME_FIELD, mapped)


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


class PolicyHistoryValidator:
    """No reuse of the last N passwords (N from the policy, the current one included).

    As a password validator it runs wherever Django or the application validates a new password for an existing
    account (own change, the workbench, ``/admin/``); its ``password_changed`` hook, which Django calls from
    ``User.save()`` after every ``set_password``, keeps the history whatever door the password came through.
    """

    def validate(self, password, user=None):
        if user is None or getattr(user, "pk", None) is None:
            return  # a new account has no history
        from django.contrib.auth.hashers import check_password

        n = _policy_or_default().password_history_count
        hashes = list(PasswordHistory.objects.filter(user_id=user.pk).values_list("password", flat=True)[:n])
        if user.has_usable_password() and user.password not in hashes:
            hashes = [user.password, *hashes][:n]  # an account from before the history existed
        if any(check_password(password, h) for h in hashes):
            raise ValidationError(f"不能使用最近 {n} 次用过的密码（含当前密码），请换一个新密码。",
                                  code="password_reused")

    def password_changed(self, password, user=None):
        if user is None or user.pk is None or not user.has_usable_password():
            return
        PasswordHistory.objects.create(user_id=user.pk, password=user.password)
        old = PasswordHistory.objects.filter(user_id=user.pk).values_list("pk", flat=True)[PASSWORD_HISTORY_KEPT:]
        PasswordHistory.objects.filter(pk__in=list(old)).delete()

    def get_help_text(self):
        return f"不能与最近 {_policy_or_default().password_history_count} 次用过的密码相同。"


def password_set_at(user) -> dt.datetime | None:
    """When the account's password was last set (the newest history row, else when the account was made); None for
    an account without a usable password (it cannot log in with one)."""
    if not user.has_usable_password():
        return None
    latest = PasswordHistory.objects.filter(user_id=user.pk).values_list("created_at", flat=True).first()
    return latest or user.date_joined


#: Session key of the cached expiry: [the session's auth hash (changes with the password), policy days, expiry ts].
EXPIRY_SESSION_KEY = "pw_expiry"


def _expiry_mark(request, policy: SecurityPolicy, user=None) -> list:
    from django.contrib.auth import HASH_SESSION_KEY

    auth_hash = str(request.session.get(HASH_SESSION_KEY, ""))[:16]
    mark = request.session.get(EXPIRY_SESSION_KEY)
    if not mark or mark[0] != auth_hash or mark[1] != policy.password_max_age_days:
        set_at = password_set_at(user if user is not None else request.user)
        expires = set_at + dt.timedelta(days=policy.password_max_age_days) if set_at else None
        mark = [auth_hash, policy.password_max_age_days, expires.timestamp() if expires else None]
        request.session[EXPIRY_SESSION_KEY] = mark
    return mark


def password_expired(request) -> bool:
    """Whether the logged-in user's password is older than the policy allows. Read from the session (computed at
    login, and again only when the password or the policy's age changes), so a page costs no query for it."""
    mark = _expiry_mark(request, SecurityPolicy.current())
    return mark[2] is not None and timezone.now().timestamp() >= mark[2]


def on_login(sender, request, user, **kwargs) -> None:
    """At every login: note the session (for one session per user), end the account's other sessions when the
    policy says so (audited), and work out when the password expires."""
    if request is None or not hasattr(request, "session"):
        return
    policy = SecurityPolicy.current()
    _expiry_mark(request, policy, user)
    if not request.session.session_key:
        request.session.save()
    key = request.session.session_key
    from django.conf import settings as dj_settings

    stale = timezone.now() - dt.timedelta(seconds=dj_settings.SESSION_COOKIE_AGE)
    LoginSession.objects.filter(user=user, created_at__lt=stale).delete()
    LoginSession.objects.update_or_create(session_key=key, defaults={"user": user, "ip": client_ip(request)})
    if policy.single_session:
        end_other_sessions(user, keep=key, ip=client_ip(request))


def end_other_sessions(user, *, keep: str, ip: str) -> int:
    """End every session of ``user`` but ``keep``; audited when there was one."""
    from importlib import import_module

    from django.conf import settings as dj_settings

    from . import audit

    store = import_module(dj_settings.SESSION_ENGINE).SessionStore
    others = list(LoginSession.objects.filter(user=user).exclude(session_key=keep).values_list("session_key", flat=True))
    for key in others:
        store(session_key=key).delete()
    LoginSession.objects.filter(session_key__in=others).delete()
    if others:
        with transaction.atomic():
            audit.record(actor=user, action="core.session.others_ended", obj=user,
                         changes={"sessions": [len(others), 0], "ip": [None, ip]})
    return len(others)


def on_logout(sender, request, user, **kwargs) -> None:
    key = getattr(getattr(request, "session", None), "session_key", None)
    if key:
        LoginSession.objects.filter(session_key=key).delete()


def client_ip(request) -> str:
    """The address the request came from (REMOTE_ADDR: a proxy in front is trusted to set it, via gunicorn's
    --forwarded-allow-ips). An in-process test client without one is ``unknown``."""
    raw = (request.META.get("REMOTE_ADDR") if request is not None else "") or ""
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return "unknown"


def _key(username: str) -> str:
    return login_name(username).lower()[:150]


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

    username = login_name(username)  # a typed phone number is not written to the audit log in clear
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
        username = login_name(username)  # a person logs in with a phone number, stored as its keyed hash
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
