"""Credit test data: entities (from the registry's factories), reports, list entries, enterprise accounts."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model

from jianguan.core.models import PublicProfile
from jianguan.core.tests.factories import PASSWORD, staff
from jianguan.registry.models import EntityKind
from jianguan.registry.tests.factories import EntityFactory, LicenceFactory, LicenceKindFactory  # noqa: F401

from ..models import AnnualReport


def report_data(**overrides) -> dict:
    data = {
        "address": "河南省平顶山市新华区建设路1号", "postal_code": "467000", "phone": "037512345678",
        "email": "", "operating_status": "开业", "employees": 12, "total_assets": Decimal("320.50"),
        "total_liabilities": Decimal("120"), "revenue": Decimal("560"), "profit": Decimal("35"),
        "net_profit": Decimal("30"), "tax": Decimal("12.4"), "insured_employees": 10, "websites": "",
        "investments": "", "guarantees": "", "public_employees": True, "public_financials": False,
        "public_guarantees": False,
    }
    data.update(overrides)
    return data


ZERO = {"total_assets": 0, "total_liabilities": 0, "revenue": 0, "profit": 0, "net_profit": 0, "tax": 0}


def report(entity, year: int, *, filed_on: dt.date | None = None, late: bool = False, **overrides) -> AnnualReport:
    """A filed report written directly (no service): for setting the scene."""
    rep = AnnualReport(entity=entity, year=year, filed_on=filed_on or dt.date(year + 1, 3, 1), late=late,
                       **report_data(**overrides))
    rep.save()
    return rep


def individual(**kwargs):
    return EntityFactory(kind=EntityKind.INDIVIDUAL, name=kwargs.pop("name", "平顶山市新华区张记小吃店"), **kwargs)


def credit_officer(username: str = "credit_xh", unit: str = "410402"):
    """A credit officer of the 新华区 bureau."""
    return staff(username, unit, ["credit_officer"], name="新华区信用监管员")


def department_head(username: str = "head_xh", unit: str = "410402"):
    return staff(username, unit, ["department_head"], name="新华区局负责人")


def enterprise_account(entity, username: str = "ent_test"):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, first_name=entity.legal_rep)
    PublicProfile.objects.create(user=user, kind=PublicProfile.Kind.ENTERPRISE, entity=entity)
    return user
