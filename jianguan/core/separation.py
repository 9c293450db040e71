"""Separation of the three administrators (三员分立, GB/T 22239-2019 8.1.4.2 access control and 8.1.10.1–3 system,
audit and security management), enforced rather than conventional.

- an account holds at most one of system / security / audit administrator, and no business role beside it;
- nobody changes their own roles;
- every password set through the application meets the security policy.

``validate_roles`` and ``validate_grant`` are called by the services and forms so a refusal names the field; the
``m2m_changed`` guard below refuses the same thing at the model, whatever door a role assignment comes through
(the admin's group picker, a shell, a future API).
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from .errors import DomainError
from .roles import ADMIN_ROLES, ROLE_NAMES


def role_conflict(roles) -> str | None:
    """Why this set of roles may not be held by one account, or None."""
    roles = set(roles)
    admins = sorted(roles & ADMIN_ROLES)
    if len(admins) > 1:
        names = "、".join(str(ROLE_NAMES[r]) for r in admins)
        return f"系统管理员、安全管理员、安全审计员须由不同账号担任，不能同时授予：{names}"
    if admins and roles - ADMIN_ROLES:
        others = "、".join(str(ROLE_NAMES.get(r, r)) for r in sorted(roles - ADMIN_ROLES))
        return f"{ROLE_NAMES[admins[0]]}不能同时担任业务角色（{others}）"
    return None


def validate_roles(roles) -> None:
    problem = role_conflict(roles)
    if problem:
        raise DomainError(problem, field="roles")


def validate_grant(*, actor, target, roles) -> None:
    """Refuse a role assignment the actor may not make: to itself, or a set no account may hold."""
    if target is not None and getattr(actor, "pk", None) is not None and actor.pk == target.pk:
        raise DomainError("不能修改自己的角色，请由其他管理员办理", field="roles")
    validate_roles(roles)


def validate_new_password(password: str, user=None) -> None:
    """The security policy's password rules, as a DomainError naming the field."""
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise DomainError("；".join(exc.messages), field="password") from None


def guard_group_changes(sender, instance, action, pk_set, model, reverse, **kwargs) -> None:
    """m2m_changed on User.groups: refuse a resulting set of roles that breaks the separation."""
    if action != "pre_add" or not pk_set:
        return
    from django.contrib.auth.models import Group

    if reverse:  # group.user_set.add(users…): check each user
        names = {instance.name}
        from django.contrib.auth import get_user_model

        for user in get_user_model().objects.filter(pk__in=pk_set):
            problem = role_conflict(names | set(user.groups.values_list("name", flat=True)))
            if problem:
                raise DomainError(problem, field="roles")
        return
    current = set(instance.groups.values_list("name", flat=True))
    added = set(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
    problem = role_conflict(current | added)
    if problem:
        raise DomainError(problem, field="roles")
