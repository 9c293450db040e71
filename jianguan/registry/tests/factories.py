"""Factories for the registry. Industries and licence kinds may already exist (a data migration loads the
standard lists), so their factories get-or-create by code."""

from __future__ import annotations

import datetime as dt

import factory

from jianguan.core.models import Division, OrgUnit
from jianguan.registry import uscc
from jianguan.registry.models import (
    Entity,
    EntityChange,
    EntityKind,
    Industry,
    Licence,
    LicenceKind,
)

# Serials far above what ``services.new_code`` hands out in a test, so factory codes never collide with them.
SERIAL_BASE = 700_000


class IndustryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Industry
        django_get_or_create = ("code",)

    code = "52"
    name = "零售业"
    parent = factory.LazyAttribute(
        lambda o: (
            Industry.objects.get_or_create(code="F", defaults={"name": "批发和零售业"})[0] if o.code == "52" else None
        )
    )


def retail() -> Industry:
    """GB/T 4754 division 52 零售业 under section F."""
    return IndustryFactory(code="52", name="零售业")


def catering() -> Industry:
    """Division 62 餐饮业 under section H."""
    section = IndustryFactory(code="H", name="住宿和餐饮业", parent=None)
    return IndustryFactory(code="62", name="餐饮业", parent=section)


def _unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


class EntityFactory(factory.django.DjangoModelFactory):
    """An active limited company supervised by 新华区西高皇所 (pass ``unit=`` for another unit)."""

    class Meta:
        model = Entity

    class Params:
        serial = factory.Sequence(lambda n: SERIAL_BASE + n)

    unit = factory.LazyFunction(lambda: _unit("41040201"))
    division = factory.LazyAttribute(lambda o: Division.objects.get(code=o.unit.division_id))
    registration_authority = factory.LazyAttribute(lambda o: o.unit.parent if o.unit.parent_id else o.unit)
    kind = EntityKind.LLC
    uscc = factory.LazyAttribute(
        lambda o: uscc.generate(o.division.code, "2" if o.kind == EntityKind.INDIVIDUAL else "1", o.serial)
    )
    name = factory.Sequence(lambda n: f"平顶山市测试商贸{n}有限公司")
    legal_rep = factory.Sequence(lambda n: f"张{n}")
    legal_rep_id_no = "410402199001011234"
    phone = "13812345678"
    registered_capital = factory.LazyFunction(lambda: 100)
    established_on = dt.date(2020, 5, 1)
    address = factory.Sequence(lambda n: f"河南省平顶山市新华区建设路{n}号")
    industry = factory.LazyFunction(retail)
    business_scope = "日用百货零售"


class EntityChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EntityChange

    entity = factory.SubFactory(EntityFactory)
    kind = EntityChange.Kind.CHANGED
    on = dt.date(2024, 1, 1)
    changes = factory.LazyFunction(lambda: {"address": ["旧地址", "新地址"]})


class LicenceKindFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LicenceKind
        django_get_or_create = ("code",)

    code = "food_business"
    name = "食品经营许可证"
    sector = "food"
    number_format = "food_business"
    high_risk = True
    validity_years = 5


def food_production_kind() -> LicenceKind:
    return LicenceKindFactory(code="food_production", name="食品生产许可证", number_format="food_production")


def plain_kind() -> LicenceKind:
    """A kind whose numbers are not format-checked (e.g. a drug retail licence)."""
    return LicenceKindFactory(code="drug_retail", name="药品经营许可证", sector="drug", number_format="")


class LicenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Licence

    entity = factory.SubFactory(EntityFactory)
    kind = factory.SubFactory(LicenceKindFactory)
    number = factory.Sequence(lambda n: f"JY1410402{n:06d}1")
    issuer = "平顶山市新华区市场监督管理局"
    issued_on = dt.date(2022, 1, 1)
    valid_until = dt.date(2027, 1, 1)
    scope = "预包装食品销售"


def registrar(username: str = "registrar_xh", unit: str = "410402"):
    """A registrar (登记注册员) of the 新华区 bureau: registers, changes, licenses, sees personal data."""
    from jianguan.core.tests.factories import staff

    return staff(username, unit, ["registrar"], name="新华区登记员")
