"""API authentication: staff bearer tokens (stored hashed) or the workbench session (with CSRF); enterprise
bearer tokens (``qy_…``) for the few endpoints where an enterprise account acts on its own entity."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import APIKeyCookie, HttpBearer

from jianguan.core.models import ApiToken, PublicProfile


class StaffToken(HttpBearer):
    openapi_description = "工作人员 API 令牌：在工作台「API 令牌」页面创建，`Authorization: Bearer jg_…`"

    def authenticate(self, request, token: str):
        if not token.startswith("jg_"):
            return None
        row = (
            ApiToken.objects.select_related("user", "user__profile__unit").filter(key_hash=ApiToken.hash(token)).first()
        )
        if row is None or not row.is_active or not row.user.is_active:
            return None
        # Record use at most once a minute: a token used in a loop should not write on every call.
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


class StaffSession(APIKeyCookie):
    """The workbench's session cookie; Ninja enforces CSRF for cookie auth."""

    param_name = "sessionid"

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.has_perm("core.access_workbench"):
            return user
        return None


staff_auth = [StaffToken(), StaffSession()]


ENTERPRISE_TOKEN_PREFIX = "qy_"


class EnterpriseToken(HttpBearer):
    """An enterprise account's token (``qy_…``, created on the portal). Accepted only by endpoints that declare
    ``auth=enterprise_auth`` and act on the account's own entity (``request.entity``); the staff API never accepts it
    (``StaffToken`` takes ``jg_`` tokens only), and an enterprise token stops working when the account stops being
    an enterprise account."""

    openapi_description = "企业 API 令牌：企业账号在门户创建，`Authorization: Bearer qy_…`；只能办理本企业的事项"

    def authenticate(self, request, token: str):
        if not token.startswith(ENTERPRISE_TOKEN_PREFIX):
            return None
        row = ApiToken.objects.select_related("user").filter(key_hash=ApiToken.hash(token)).first()
        if row is None or not row.is_active or not row.user.is_active:
            return None
        profile = (PublicProfile.objects.select_related("entity")
                   .filter(user=row.user, kind=PublicProfile.Kind.ENTERPRISE, entity__isnull=False).first())
        if profile is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or (now - row.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user, request.entity = row.user, profile.entity
        return row.user


enterprise_auth = [EnterpriseToken()]
