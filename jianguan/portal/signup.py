"""Sign-up of public person accounts (applicants, consumers): phone number, name, password, and an SMS code.

The code is 6 digits, stored only as a keyed hash, valid for a few minutes (rule ``startup.verification_code_minutes``)
and for a limited number of attempts; codes per phone are rate-limited (one a minute, ten a day by default) by
counting the rows of ``PhoneVerification``, so the limit holds across processes. Messages go out through
``core.notify`` after the transaction commits.

Include ``signup_urlpatterns`` in the portal's URLconf (names ``portal:signup`` and ``portal:signup_verify``).
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.views.decorators.http import require_http_methods

from jianguan.core import audit, crypto, notify
from jianguan.core.errors import DomainError
from jianguan.core.models import PublicProfile
from jianguan.core.rules import rule
from jianguan.core.security import phone_login_name
from jianguan.core.views import rate_limited
from jianguan.startup.models import PhoneVerification

User = get_user_model()
PHONE_RE = re.compile(r"^1[3-9]\d{9}$")
SESSION_KEY = "jianguan_signup"


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) == 11 else "****"


def phone_registered(phone: str) -> bool:
    """Whether a public account holds ``phone`` (searched by its keyed hash: the column is encrypted, #14)."""
    return PublicProfile.objects.filter(phone_hash=crypto.blind_index(phone)).exists()


def _code_hash(phone: str, purpose: str, code: str) -> str:
    return salted_hmac("jianguan.portal.verification", f"{purpose}:{phone}:{code}", algorithm="sha256").hexdigest()


class RateLimited(DomainError):
    code = "rate_limited"
    status = 429


# --- services -----------------------------------------------------------------------------------------------------


@transaction.atomic
def verification_send(*, phone: str, purpose: str = "signup", deliver: bool = True) -> PhoneVerification:
    """Create a code for ``phone`` and text it after commit. Raises ``RateLimited`` when sent too often.

    ``deliver=False`` writes the row (so the number's interval and daily cap count exactly as if it had been sent)
    but texts nothing: the password reset asks for a code for a number that has no account, and must answer and
    limit it like one that has (``portal.reset``)."""
    if not PHONE_RE.match(phone):
        raise DomainError("请输入正确的 11 位手机号码", field="phone")
    now = timezone.now()
    recent = PhoneVerification.objects.filter(phone_hash=crypto.blind_index(phone), purpose=purpose)
    interval = int(rule("startup.verification_interval_seconds"))
    if recent.filter(created_at__gt=now - dt.timedelta(seconds=interval)).exists():
        raise RateLimited(f"验证码发送过于频繁，请 {interval} 秒后再试", field="phone")
    if recent.filter(created_at__gt=now - dt.timedelta(days=1)).count() >= int(rule("startup.verification_per_day")):
        raise RateLimited("该手机号今日获取验证码次数已达上限，请明天再试", field="phone")
    code = f"{secrets.randbelow(1_000_000):06d}"
    minutes = int(rule("startup.verification_code_minutes"))
    row = PhoneVerification.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_code_hash(phone, purpose, code),
        created_at=now,
        expires_at=now + dt.timedelta(minutes=minutes),
    )
    audit.record(
        actor="public",
        action="portal.verification.sent",
        obj=row,
        object_repr=mask_phone(phone),
        changes={"purpose": [None, purpose]},
    )
    message = f"【{_bureau()}】您的验证码是 {code}，{minutes} 分钟内有效。请勿泄露给他人。"
    if deliver:
        transaction.on_commit(lambda: notify.send_sms(phone, message))
    return row


def _bureau() -> str:
    from django.conf import settings

    return getattr(settings, "JIANGUAN_BUREAU_NAME", "市场监督管理局")


@transaction.atomic
def verification_consume(*, phone: str, code: str, purpose: str = "signup") -> str | None:
    """Check ``code`` against the latest live code of ``phone``: None when it matches (the code is then used up),
    otherwise the reason in Chinese. A wrong code counts an attempt; it does not raise, so the count sticks."""
    now = timezone.now()
    row = (
        PhoneVerification.objects.select_for_update()
        .filter(phone_hash=crypto.blind_index(phone), purpose=purpose, used_at__isnull=True)
        .order_by("-created_at")
        .first()
    )
    if row is None or row.expires_at <= now:
        return "验证码已过期，请重新获取"
    if row.attempts >= int(rule("startup.verification_code_attempts")):
        return "验证码错误次数过多，请重新获取"
    if not constant_time_compare(row.code_hash, _code_hash(phone, purpose, (code or "").strip())):
        row.attempts += 1
        row.save(update_fields=["attempts"])
        return "验证码不正确"
    row.used_at = now
    row.save(update_fields=["used_at"])
    return None


@transaction.atomic
def person_account_create(*, phone: str, name: str, password_hash: str) -> User:
    """A verified person account. The person logs in with the phone number; ``auth_user.username`` holds its keyed
    hash (``security.phone_login_name``), not the number (#14)."""
    username = phone_login_name(phone)
    if User.objects.filter(username=username).exists() or phone_registered(phone):
        raise DomainError("该手机号码已注册，请直接登录", field="phone")
    user = User.objects.create(username=username, first_name=name.strip()[:150], password=password_hash)
    profile = PublicProfile.objects.create(
        user=user, kind=PublicProfile.Kind.PERSON, phone=phone, verified_at=timezone.now()
    )
    audit.record(
        actor=user,
        action="portal.account.signed_up",
        obj=profile,
        object_repr=mask_phone(phone),
        changes={"kind": [None, "person"]},
    )
    return user


@transaction.atomic
def signup_complete(*, phone: str, code: str, name: str, password_hash: str) -> tuple[User | None, str | None]:
    """Consume the code and create the account in one transaction: (user, None) or (None, reason)."""
    error = verification_consume(phone=phone, code=code)
    if error:
        return None, error
    return person_account_create(phone=phone, name=name, password_hash=password_hash), None


# --- views --------------------------------------------------------------------------------------------------------


def sms_limited(request) -> bool:
    """Whether this address has asked for too many SMS codes (rule ``portal.sms_rate``, counted in the shared cache):
    each number has its own interval and daily cap, but without this one address could text thousands of numbers.
    The sign-up forms count every submission, valid or not, before they are checked: their answer ("this number is
    already registered", "code and name do not match") must not be asked of thousands of numbers either."""
    from django_ratelimit.core import is_ratelimited

    from jianguan.core.security import client_ip

    rate = rule("portal.sms_rate")
    return bool(rate) and is_ratelimited(request, group="portal.sms", key=lambda _g, r: client_ip(r), rate=rate,
                                         increment=True)


class SignupForm(forms.Form):
    phone = forms.CharField(
        label="手机号码", max_length=11, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"})
    )
    name = forms.CharField(label="姓名", max_length=50, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    password = forms.CharField(label="密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not PHONE_RE.match(phone):
            raise ValidationError("请输入正确的 11 位手机号码")
        if User.objects.filter(username=phone_login_name(phone)).exists() or phone_registered(phone):
            raise ValidationError("该手机号码已注册，请直接登录")
        return phone

    def clean(self):
        data = super().clean()
        password, again = data.get("password"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", "两次输入的密码不一致")
        elif password and data.get("phone"):
            try:
                validate_password(password, User(username=data["phone"], first_name=data.get("name", "")))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


class VerifyForm(forms.Form):
    code = forms.CharField(
        label="短信验证码",
        max_length=6,
        min_length=6,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@require_http_methods(["GET", "POST"])
def signup(request):
    if request.user.is_authenticated and hasattr(request.user, "public_profile"):
        return redirect("/account/")
    if request.method == "POST" and sms_limited(request):
        return rate_limited(request)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            verification_send(phone=data["phone"])
        except DomainError as exc:
            form.add_error("phone", exc.message)
        else:
            request.session[SESSION_KEY] = {
                "phone": data["phone"],
                "name": data["name"],
                "password": make_password(data["password"]),
            }
            return redirect(reverse("portal:signup_verify"))
    return render(request, "portal/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def signup_verify(request):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return redirect(reverse("portal:signup"))
    form = VerifyForm(request.POST if request.method == "POST" and "resend" not in request.POST else None)
    if request.method == "POST" and "resend" in request.POST:
        if sms_limited(request):
            return rate_limited(request)
        try:
            verification_send(phone=pending["phone"])
            messages.success(request, "验证码已重新发送。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("portal:signup_verify"))
    if request.method == "POST" and form.is_valid():
        try:
            user, error = signup_complete(
                phone=pending["phone"],
                code=form.cleaned_data["code"],
                name=pending["name"],
                password_hash=pending["password"],
            )
        except DomainError as exc:
            user, error = None, exc.message
        if error:
            form.add_error("code", error)
        else:
            request.session.pop(SESSION_KEY, None)
            login(request, user, backend="jianguan.core.security.LockoutBackend")
            messages.success(request, "注册成功，欢迎使用。")
            return redirect("/account/")
    return render(request, "portal/signup_verify.html", {"form": form, "phone": mask_phone(pending["phone"])})


signup_urlpatterns = [
    path("account/signup/", signup, name="signup"),
    path("account/signup/verify/", signup_verify, name="signup_verify"),
]
