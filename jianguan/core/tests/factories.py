"""Factories for the core models. Other apps import ``staff`` to make personas."""

from __future__ import annotations

import datetime as dt

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from jianguan.core.models import OrgUnit, StaffProfile

PASSWORD = "test-password-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Sequence(lambda n: f"测试{n}")
    password = factory.django.Password(PASSWORD)


class OrgUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrgUnit
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"9{n:07d}")
    name = factory.Sequence(lambda n: f"测试单位{n}")
    kind = OrgUnit.Kind.STATION


def staff(
    username: str, unit: OrgUnit | str, roles: list[str], *, credential: bool | str = True, **profile
) -> get_user_model():
    """A staff user with a profile in ``unit`` and the given role groups."""
    if isinstance(unit, str):
        unit = OrgUnit.objects.get(code=unit)
    user = UserFactory(username=username, first_name=profile.pop("name", username))
    today = dt.date.today()
    expiry = today - dt.timedelta(days=1) if credential == "expired" else today + dt.timedelta(days=365)
    StaffProfile.objects.update_or_create(
        user=user,
        defaults={
            "unit": unit,
            "staff_code": profile.pop("staff_code", f"T-{username}"[:20]),
            "credential_no": f"豫TEST{user.pk:05d}" if credential else "",
            "credential_expiry": expiry if credential else None,
            **profile,
        },
    )
    user.groups.set(Group.objects.filter(name__in=roles))
    return user
