"""Writes of the core app. Each is atomic and records an audit entry in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from . import audit, separation
from .errors import DomainError
from .models import ApiToken, CalendarYear, OrgUnit, RuleValue, SecurityPolicy, StaffProfile, WorkdayOverride
from .roles import ROLE_BY_CODE
from .rules import RULES

User = get_user_model()

STAFF_FIELDS = ("staff_code", "unit", "title", "phone", "credential_no", "credential_expiry", "specialties")


def _redact(changes: dict) -> dict:
    """The staff phone masked in the audit entry (the column is encrypted at rest, the audit log is not: #14)."""
    from jianguan.registry.masking import mask_phone, redact_changes  # pure functions, no models

    return redact_changes(changes, {"phone": mask_phone})


@transaction.atomic
def staff_create(
    *,
    actor,
    username: str,
    full_name: str,
    unit: OrgUnit,
    staff_code: str,
    roles: list[str],
    password: str | None = None,
    **profile_fields,
) -> User:
    """Create a staff login with its profile and roles. The roles must respect the separation of the three
    administrators, and a password given must meet the security policy."""
    unknown = [r for r in roles if r not in ROLE_BY_CODE]
    if unknown:
        raise DomainError(f"未知角色：{', '.join(unknown)}", field="roles")
    separation.validate_grant(actor=actor, target=None, roles=roles)
    from .security import login_name

    if User.objects.filter(username=login_name(username)).exists():  # a phone-shaped name is stored as its hash
        raise DomainError(f"用户名「{username}」已存在", field="username")
    if StaffProfile.objects.filter(staff_code=staff_code).exists():
        raise DomainError(f"工号「{staff_code}」已存在", field="staff_code")
    user = User(username=username, first_name=full_name, is_active=True)
    if password:
        separation.validate_new_password(password, user)
        user.set_password(password)
    else:
        user.set_unusable_password()
    user.save()
    profile = StaffProfile.objects.create(user=user, unit=unit, staff_code=staff_code, **profile_fields)
    user.groups.set(Group.objects.filter(name__in=roles))
    audit.record(
        actor=actor,
        action="core.staff.created",
        obj=profile,
        unit=unit,
        changes={
            "username": [None, username],
            "roles": [None, sorted(roles)],
            **_redact({k: [None, v] for k, v in audit.snapshot(profile, STAFF_FIELDS).items()}),
        },
    )
    return user


@transaction.atomic
def staff_update(
    *, actor, profile: StaffProfile, roles: list[str] | None = None, is_active: bool | None = None, **fields
) -> StaffProfile:
    profile = StaffProfile.objects.select_for_update().select_related("user").get(pk=profile.pk)
    before = audit.snapshot(profile, STAFF_FIELDS)
    before_roles = sorted(profile.user.groups.values_list("name", flat=True))
    for name, value in fields.items():
        if name not in STAFF_FIELDS:
            raise DomainError(f"字段「{name}」不可修改", field=name)
        setattr(profile, name, value)
    profile.save()
    changes = _redact(audit.diff(before, audit.snapshot(profile, STAFF_FIELDS)))
    if roles is not None:
        unknown = [r for r in roles if r not in ROLE_BY_CODE]
        if unknown:
            raise DomainError(f"未知角色：{', '.join(unknown)}", field="roles")
        if sorted(roles) != before_roles:
            separation.validate_grant(actor=actor, target=profile.user, roles=roles)
        profile.user.groups.set(Group.objects.filter(name__in=roles))
        if sorted(roles) != before_roles:
            changes["roles"] = [before_roles, sorted(roles)]
    if is_active is not None and is_active != profile.user.is_active:
        changes["is_active"] = [profile.user.is_active, is_active]
        profile.user.is_active = is_active
        profile.user.save(update_fields=["is_active"])
    if changes:
        audit.record(actor=actor, action="core.staff.updated", obj=profile, unit=profile.unit, changes=changes)
    return profile


@transaction.atomic
def org_unit_save(*, actor, unit: OrgUnit) -> OrgUnit:
    creating = unit.pk is None
    fields = ("code", "name", "short_name", "doc_prefix", "kind", "parent", "division", "sort", "is_active")
    before = {} if creating else audit.snapshot(OrgUnit.objects.get(pk=unit.pk), fields)
    if unit.parent_id and unit.pk and unit.parent.path.startswith(OrgUnit.objects.get(pk=unit.pk).path):
        raise DomainError("上级单位不能是本单位或其下级单位", field="parent")
    unit.save()
    if not creating:
        # Re-materialise the paths of the subtree (codes or parents may have changed).
        for child in OrgUnit.objects.filter(parent=unit):
            child.save()
    audit.record(
        actor=actor,
        action="core.orgunit.created" if creating else "core.orgunit.updated",
        obj=unit,
        unit=unit,
        changes=audit.diff(before, audit.snapshot(unit, fields)),
    )
    return unit


@transaction.atomic
def workday_set(*, actor, date: dt.date, is_workday: bool, note: str = "") -> WorkdayOverride:
    existing = WorkdayOverride.objects.select_for_update().filter(date=date).first()
    before = {"is_workday": existing.is_workday, "note": existing.note} if existing else {}
    obj, _ = WorkdayOverride.objects.update_or_create(date=date, defaults={"is_workday": is_workday, "note": note})
    audit.record(
        actor=actor,
        action="core.calendar.day_set",
        obj=obj,
        changes=audit.diff(before, {"is_workday": is_workday, "note": note}),
    )
    return obj


@transaction.atomic
def workday_clear(*, actor, date: dt.date) -> None:
    obj = WorkdayOverride.objects.filter(date=date).first()
    if obj is None:
        raise DomainError(f"{date} 没有手工调整记录", field="date")
    audit.record(
        actor=actor, action="core.calendar.day_cleared", obj=obj, changes={"is_workday": [obj.is_workday, None]}
    )
    obj.delete()


@transaction.atomic
def calendar_year_confirm(*, actor, year: int, note: str) -> CalendarYear:
    if not note.strip():
        raise DomainError("请注明该年度节假日安排的依据（如国务院办公厅通知）", field="note")
    obj, created = CalendarYear.objects.get_or_create(year=year, defaults={"note": note})
    if not created:
        raise DomainError(f"{year} 年已确认", field="year")
    audit.record(
        actor=actor,
        action="core.calendar.year_confirmed",
        obj=obj,
        changes={"year": [None, year], "note": [None, note]},
    )
    return obj


@transaction.atomic
def rule_set(*, actor, key: str, value, effective_from: dt.date, note: str = "") -> RuleValue:
    if key not in RULES:
        raise DomainError(f"未知规则：{key}", field="key")
    default = RULES[key].default
    if not isinstance(value, type(default)) and not (isinstance(default, float) and isinstance(value, int)):
        raise DomainError(f"规则 {key} 的取值类型应为 {type(default).__name__}", field="value")
    obj, created = RuleValue.objects.update_or_create(
        key=key, effective_from=effective_from, defaults={"value": value, "note": note}
    )
    audit.record(
        actor=actor,
        action="core.rule.set",
        obj=obj,
        changes={"key": [None, key], "value": [None, value], "effective_from": [None, effective_from]},
    )
    return obj


POLICY_FIELDS = ("min_password_length", "min_character_classes", "session_idle_minutes", "session_absolute_minutes",
                 "max_failed_logins", "max_failed_logins_per_ip", "lockout_minutes", "otp_required_for_staff",
                 "password_history_count", "password_max_age_days", "single_session")


@transaction.atomic
def security_policy_update(*, actor, **fields) -> SecurityPolicy:
    """Set the security policy. Every value is checked against its bounds (a lockout of 0 minutes or 65,535 tries
    would switch the control off), whichever door the value came through."""
    from django.core.exceptions import ValidationError

    policy, _ = SecurityPolicy.objects.select_for_update().get_or_create(pk=1)
    before = audit.snapshot(policy, POLICY_FIELDS)
    for name, value in fields.items():
        if name not in POLICY_FIELDS:
            raise DomainError(f"字段「{name}」不可修改", field=name)
        setattr(policy, name, value)
    try:
        policy.full_clean(exclude=[f.name for f in SecurityPolicy._meta.fields if f.name not in POLICY_FIELDS])
    except ValidationError as exc:
        name, errors = next(iter(exc.message_dict.items()))
        label = SecurityPolicy._meta.get_field(name).verbose_name
        raise DomainError(f"{label}：{errors[0]}", field=name) from None
    if policy.session_absolute_minutes < policy.session_idle_minutes:
        raise DomainError("会话最长时间不得短于空闲超时", field="session_absolute_minutes")
    policy.save()
    audit.record(
        actor=actor,
        action="core.security.policy_updated",
        obj=policy,
        changes=audit.diff(before, audit.snapshot(policy, POLICY_FIELDS)),
    )
    return policy


@transaction.atomic
def api_token_create(*, actor, name: str, days: int | None = None) -> tuple[ApiToken, str]:
    """Create a token for ``actor``; returns the row and the raw key, which is never stored."""
    if not name.strip():
        raise DomainError("请填写令牌用途", field="name")
    raw = ApiToken.generate()
    expires = timezone.now() + dt.timedelta(days=days) if days else None
    token = ApiToken.objects.create(
        user=actor, name=name.strip()[:60], prefix=raw[3:11], key_hash=ApiToken.hash(raw), expires_at=expires
    )
    audit.record(actor=actor, action="core.api_token.created", obj=token, changes={"name": [None, token.name]})
    return token, raw


@transaction.atomic
def enterprise_api_token_create(*, actor, name: str, days: int = 365) -> tuple[ApiToken, str]:
    """A token for an enterprise account (``qy_…``), accepted only by the endpoints where an enterprise acts on its
    own entity (``api.auth.enterprise_auth``); it expires after ``days``. Returns the row and the raw key, shown
    once and never stored."""
    import secrets

    from .models import PublicProfile

    if not PublicProfile.objects.filter(user=actor, kind=PublicProfile.Kind.ENTERPRISE, entity__isnull=False).exists():
        raise DomainError("仅企业账号可以创建企业 API 令牌", field="name")
    if not name.strip():
        raise DomainError("请填写令牌用途", field="name")
    if ApiToken.objects.filter(user=actor, revoked_at__isnull=True).count() >= 5:
        raise DomainError("有效令牌最多 5 个，请先吊销不用的令牌", field="name")
    raw = "qy_" + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=actor, name=name.strip()[:60], prefix=raw[3:11], key_hash=ApiToken.hash(raw),
                                    expires_at=timezone.now() + dt.timedelta(days=days))
    audit.record(actor=actor, action="core.api_token.created", obj=token,
                 changes={"name": [None, token.name], "kind": [None, "enterprise"]})
    return token, raw


@transaction.atomic
def api_token_revoke(*, actor, token: ApiToken) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is None:  # a second click does no harm
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor, action="core.api_token.revoked", obj=token, changes={"revoked_at": [None, token.revoked_at]}
        )
    return token


def password_changed(*, actor) -> None:
    audit.record(actor=actor, action="core.user.password_changed", obj=actor)
