"""Two-factor authentication (TOTP, django-otp) for staff: mandatory for the three administrators, and for every
staff account when the security policy says so (GB/T 22239-2019 8.1.4.1 d: two or more authentication techniques,
one of them cryptographic, for administrators at level 3).

After the password, a staff member who needs a second factor is held at ``/workbench/2fa/`` until verified:
- with no device yet, they enrol — a QR code for an authenticator app (and the key in text), confirmed by a first
  code — and are shown ten single-use recovery codes once;
- afterwards they enter a code from the app, or a recovery code.
The security administrator resets a lost device (not their own); enrolment, verification failures and resets are
audited. Until verified, the session reaches nothing else: not the workbench, not /admin/, not the API.
"""

from __future__ import annotations

import io

from django.db import transaction
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import audit
from .errors import DomainError
from .models import SecurityPolicy
from .roles import ADMIN_ROLES, role_codes

RECOVERY_CODES = 10


def otp_required(user) -> bool:
    """Whether ``user`` must pass a second factor: always for the three administrators (and superusers), for all
    staff when the security policy requires it."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser or set(role_codes(user)) & ADMIN_ROLES:
        return True
    return SecurityPolicy.current().otp_required_for_staff and user.has_perm("core.access_workbench")


def is_verified(user) -> bool:
    return bool(getattr(user, "is_verified", lambda: False)())


def totp_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def start_enrolment(user) -> TOTPDevice:
    """The user's unconfirmed TOTP device (a new key each time enrolment starts over)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=False)


def qr_svg(device: TOTPDevice) -> str:
    import qrcode
    import qrcode.image.svg

    img = qrcode.make(device.config_url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buf = io.BytesIO()
    img.save(buf)
    return buf.getvalue().decode()


def secret_text(device: TOTPDevice) -> str:
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i:i + 4] for i in range(0, len(raw), 4))


@transaction.atomic
def confirm_enrolment(*, request, token: str) -> list[str]:
    """Confirm the pending device with its first code; returns the recovery codes (shown once)."""
    user = request.user
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).first()
    if device is None:
        raise DomainError("请重新开始绑定", field="token")
    if not device.verify_token(token.strip()):
        raise DomainError("验证码不正确，请核对手机时间后重试", field="token")
    TOTPDevice.objects.filter(user=user, confirmed=True).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_recovery_codes(user)
    audit.record(actor=user, action="core.2fa.enrolled", obj=user, changes={"device": [None, "TOTP"]})
    otp_login(request, device)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="恢复码", confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def verify(*, request, token: str) -> bool:
    """Check a code from the app or a recovery code; on success the session is verified. Failures are audited
    (and throttled by django-otp, each failure doubling the wait)."""
    user = request.user
    token = token.strip().replace(" ", "")
    for device in (totp_device(user), StaticDevice.objects.filter(user=user, confirmed=True).first()):
        if device is not None and device.verify_is_allowed()[0] and device.verify_token(token):
            otp_login(request, device)
            if isinstance(device, StaticDevice):
                with transaction.atomic():
                    audit.record(actor=user, action="core.2fa.recovery_code_used", obj=user,
                                 changes={"left": [None, device.token_set.count()]})
            return True
    with transaction.atomic():
        audit.record(actor=user, action="core.2fa.failed", obj=user)
    return False


@transaction.atomic
def reset(*, actor, user) -> None:
    """The security administrator removes a user's devices (a lost phone); the user enrols again at next login."""
    if not actor.has_perm("core.manage_security"):
        raise DomainError("只有安全管理员可以重置双因素认证")
    if actor.pk == user.pk:
        raise DomainError("不能重置自己的双因素认证，请由另一位安全管理员办理", field="username")
    removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
    audit.record(actor=actor, action="core.2fa.reset", obj=user, changes={"devices": [removed, 0]})


def verify_session_for_tests(client, user) -> None:
    """Give ``user`` a confirmed device and mark the test client's session verified (the personas of the tests)."""
    device = totp_device(user) or TOTPDevice.objects.create(user=user, name="测试", confirmed=True)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
