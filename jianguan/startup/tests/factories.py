"""Factories for the start-up tests: applicants, industries, existing entities and complete applications."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from jianguan.core.models import OrgUnit, PublicProfile
from jianguan.core.tests.factories import UserFactory
from jianguan.registry.models import Entity, EntityKind, EntityStatus, Industry
from jianguan.startup import idnumber
from jianguan.startup.models import Application, Shareholder

INDUSTRIES = {
    "F": ("批发和零售业", None),
    "51": ("批发业", "F"),
    "52": ("零售业", "F"),
    "I": ("信息传输、软件和信息技术服务业", None),
    "65": ("软件和信息技术服务业", "I"),
}


def industry(code: str = "51") -> Industry:
    for c, (name, parent) in INDUSTRIES.items():
        Industry.objects.get_or_create(code=c, defaults={"name": name, "parent_id": parent})
    return Industry.objects.get(code=code)


def id_number(seq: int = 1, born: str = "19850612", area: str = "410402") -> str:
    first17 = f"{area}{born}{seq % 1000:03d}"
    return first17 + idnumber.check_character(first17)


def applicant(username: str = "applicant_t", name: str = "张申请", phone: str = "13900000001"):
    user = UserFactory(username=username, first_name=name)
    PublicProfile.objects.get_or_create(
        user=user, defaults={"kind": PublicProfile.Kind.PERSON, "phone": phone, "verified_at": timezone.now()}
    )
    return user


_seq = [0]


def entity(
    name: str, *, division: str = "410402", industry_code: str = "51", status: str = EntityStatus.ACTIVE
) -> Entity:
    from jianguan.registry.services import new_code

    unit = OrgUnit.objects.get(code=division)
    _seq[0] += 1
    return Entity.objects.create(
        uscc=new_code(division_code=division, kind=EntityKind.LLC),
        name=name,
        kind=EntityKind.LLC,
        legal_rep="李存量",
        established_on=dt.date(2020, 1, 1),
        address="测试路1号",
        division_id=division,
        unit=unit,
        registration_authority=unit,
        industry=industry(industry_code),
        status=status,
        registered_capital=Decimal("100"),
    )


def application(
    user,
    *,
    trade: str = "青松",
    industry_word: str = "商贸",
    division: str = "410402",
    name_division: str = "平顶山市",
    form: str = "有限公司",
    capital: str = "100",
    scope: str = "日用百货销售；五金产品零售",
    industry_code: str = "51",
    shares: tuple[str, ...] = ("60", "40"),
    id_no: str | None = None,
    **extra,
) -> Application:
    """A complete establishment draft that passes every smart-approval rule unless told otherwise."""
    industry(industry_code)
    app = Application.objects.create(
        kind=Application.Kind.ESTABLISH,
        applicant=user,
        name_division=name_division,
        name_trade=trade,
        name_industry=industry_word,
        name_form=form,
        entity_kind=EntityKind.LLC,
        address="建设路18号",
        division_id=division,
        registered_capital=Decimal(capital),
        legal_rep_name="王法人",
        legal_rep_id_no=id_no if id_no is not None else id_number(1),
        legal_rep_phone="13900000009",
        business_scope=scope,
        industry_id=industry_code,
        companion_codes=["seal", "tax", "social", "bank", "fund"],
        **extra,
    )
    app.name = app.compose_name()
    app.save()
    total = Decimal(capital)
    for i, pct in enumerate(shares, 1):
        Shareholder.objects.create(
            application=app,
            name=f"股东{i}",
            kind=Shareholder.Kind.PERSON,
            id_no=id_number(10 + i),
            subscribed_capital=total * Decimal(pct) / 100,
            share_pct=Decimal(pct),
            contribution_date=dt.date(2030, 12, 31),
        )
    return app


def registrar(username: str, unit_code: str):
    from jianguan.core.tests.factories import staff

    return staff(username, unit_code, ["registrar"], name=f"{username}登记员")
