"""Password reset of a person's portal account by SMS (忘记密码, #14).

The person types the mobile number; a code is texted to it (the sign-up's codes: ``signup.verification_send`` /
``verification_consume``, purpose ``reset``, with their per-number interval, daily cap, lifetime, attempt limit and
single use, and the per-address rule ``portal.sms_rate``); with the code they set a new password that passes the
password policy (length, character classes, history).

- The account is found only through the number's keyed hash (``PublicProfile.phone_hash``, and the login name
  ``security.phone_login_name``), never a phone column.
- The answer never says whether the number has an account: a number without one gets a code row all the same (so
  its interval and daily cap count and answer alike) but no SMS, the same page ("if this number has an account, a
  code has been sent") and, to any code typed, the answer to a wrong code.
- A successful reset is audited (``portal.account.password_reset``) and ends every open session of the account
  (``security.end_other_sessions``). It leaves the lockout counters as they are: a reset is not a login, and an
  account locked by wrong passwords stays locked until its lockout ends.
- Person accounts only. Enterprise accounts (login: the USCC) are not reset here: their password was set through a
  code sent to the entity's registered phone, a value of the registration record that a registration change keeps
  up to date, not the account holder's; the page sends them to the registration authority. Staff accounts never.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from jianguan.core import audit, crypto
from jianguan.core.errors import DomainError
from jianguan.core.models import PublicProfile
from jianguan.core.security import client_ip, end_other_sessions, phone_login_name
from jianguan.core.views import rate_limited

from .signup import PHONE_RE, mask_phone, sms_limited, verification_consume, verification_send

User = get_user_model()
PURPOSE = "reset"
SESSION_KEY = "jianguan_password_reset"
WRONG_CODE = "验证码不正确"


def reset_account(phone: str):
    """The active person account whose phone is ``phone``, found by the keyed hash only; None if there is none."""
    profile = (PublicProfile.objects.select_related("user")
               .filter(phone_hash=crypto.blind_index(phone), kind=PublicProfile.Kind.PERSON, user__is_active=True)
               .first())
    if profile is None or profile.user.username != phone_login_name(phone):
        return None
    return profile.user


def password_reset_request(*, phone: str) -> None:
    """Send a reset code to ``phone`` if it has a person account; write the code row either way, so that the
    number's limits and the answer are the same (``RateLimited``/``DomainError`` alike for both)."""
    verification_send(phone=phone, purpose=PURPOSE, deliver=reset_account(phone) is not None)


@transaction.atomic
def password_reset_complete(*, phone: str, code: str, password: str, ip: str = "") -> tuple[object, dict]:
    """Check the code and set the new password: (user, {}) or (None, {field: [messages]}).

    A wrong code counts an attempt (committed, as at the sign-up); a number without an account gets the answer to a
    wrong code. A right code with a password the policy refuses rolls back, so the code can be used with another
    password. Success: the password is set (the history validator records it), every session of the account is
    ended, and the reset is audited."""
    error = verification_consume(phone=phone, code=code, purpose=PURPOSE)
    if error:
        return None, {"code": [error]}
    user = reset_account(phone)
    if user is None:
        return None, {"code": [WRONG_CODE]}
    try:
        validate_password(password, user)
    except ValidationError as exc:
        transaction.set_rollback(True)  # the code stays unused: the person may choose another password with it
        return None, {"password": list(exc.messages)}
    user.set_password(password)
    user.save(update_fields=["password"])
    ended = end_other_sessions(user, keep="", ip=ip)
    audit.record(actor=user, action="portal.account.password_reset", obj=user, object_repr=mask_phone(phone),
                 changes={"ip": [None, ip], "sessions_ended": [None, ended]})
    return user, {}


# --- views --------------------------------------------------------------------------------------------------------


class ResetRequestForm(forms.Form):
    phone = forms.CharField(
        label="手机号码", max_length=11, widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "numeric"}))

    def clean_phone(self):
        phone = self.cleaned_data["phone"].strip()
        if not PHONE_RE.match(phone):
            raise ValidationError("请输入正确的 11 位手机号码")
        return phone


class ResetForm(forms.Form):
    code = forms.CharField(label="短信验证码", max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))
    password = forms.CharField(label="新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="确认新密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def __init__(self, *args, phone: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.phone = phone

    def clean(self):
        data = super().clean()
        password, again = data.get("password"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", "两次输入的密码不一致")
        elif password:
            # the policy's rules that need no account (length, classes); its history is checked with the code
            try:
                validate_password(password, User(username=phone_login_name(self.phone)))
            except ValidationError as exc:
                self.add_error("password", exc)
        return data


@require_http_methods(["GET", "POST"])
def reset_request(request):
    if request.method == "POST" and sms_limited(request):  # every submission counts, as at the sign-up
        return rate_limited(request)
    form = ResetRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        phone = form.cleaned_data["phone"]
        try:
            password_reset_request(phone=phone)
        except DomainError as exc:
            form.add_error("phone", exc.message)
        else:
            request.session[SESSION_KEY] = {"phone": phone}
            return redirect(reverse("portal:password_reset_verify"))
    return render(request, "portal/password_reset.html", {"form": form})


@require_http_methods(["GET", "POST"])
def reset_verify(request):
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return redirect(reverse("portal:password_reset"))
    phone = pending["phone"]
    if request.method == "POST" and "resend" in request.POST:
        if sms_limited(request):
            return rate_limited(request)
        try:
            password_reset_request(phone=phone)
            messages.success(request, "如该号码已注册个人账号，验证码已重新发送。")
        except DomainError as exc:
            messages.error(request, exc.message)
        return redirect(reverse("portal:password_reset_verify"))
    form = ResetForm(request.POST if request.method == "POST" else None, phone=phone)
    if request.method == "POST" and form.is_valid():
        user, errors = password_reset_complete(phone=phone, code=form.cleaned_data["code"],
                                               password=form.cleaned_data["password"], ip=client_ip(request))
        if user is not None:
            request.session.pop(SESSION_KEY, None)
            messages.success(request, "密码已重设，请用新密码登录。此前登录的会话均已退出；"
                                      "如账号因多次输错密码被锁定，锁定期满后即可登录。")
            return redirect(reverse("portal:login"))
        for field, errs in errors.items():
            for err in errs:
                form.add_error(field, err)
    return render(request, "portal/password_reset_verify.html", {"form": form, "phone": mask_phone(phone)})


reset_urlpatterns = [
    path("account/password/reset/", reset_request, name="password_reset"),
    path("account/password/reset/verify/", reset_verify, name="password_reset_verify"),
]
