"""A product category with a standard of three items (a maximum, a minimum and a range), producers in 新华区 and
卫东区, and the quality supervisor who runs plans and records samples."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from jianguan.core.models import OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.registry.tests.factories import EntityFactory
from jianguan.sampling import services
from jianguan.sampling.models import ProductCategory, Standard, TestItem

TODAY = dt.date(2026, 12, 4)


def supervisor(username: str = "zl_t"):
    return staff(username, "410400ZL", ["quality_supervisor", "inspector"], name="质量监管员")


def standard(sector: str = "product") -> Standard:
    cat, _ = ProductCategory.objects.get_or_create(code=f"KZ-{sector}", defaults={"name": "口罩", "industries": ["52"],
                                                                                  "sector": sector})
    std, created = Standard.objects.get_or_create(category=cat, code="GB 2626-2019", defaults={"title": "呼吸防护"})
    if created:
        TestItem.objects.create(standard=std, name="过滤效率", unit="%", min_value=Decimal("95"), sort=1)
        TestItem.objects.create(standard=std, name="吸气阻力", unit="Pa", max_value=Decimal("210"), sort=2)
        TestItem.objects.create(standard=std, name="pH 值", unit="—", min_value=Decimal("4.0"), max_value=Decimal("8.5"),
                                sort=3)
    return std


def producers(n: int = 3, unit: str = "41040201"):
    u = OrgUnit.objects.get(code=unit)
    return [EntityFactory(unit=u) for _ in range(n)]


def drawn_plan(actor, *, code="ZLCC-T-1", quotas=None, sector="product", title="2026年口罩监督抽查"):
    std = standard(sector)
    producers(3, "41040201")
    producers(2, "41040301")
    plan = services.plan_create(actor=actor, sector=sector, year=2026, code=code, title=title,
                                category=std.category, standard=std, unit=actor.profile.unit,
                                quotas=quotas or {"410402": 2, "410403": 1})
    services.plan_freeze(actor=actor, plan=plan, beacon="福利彩票3D 2026年第300期开奖号码")
    return services.plan_draw(actor=actor, plan=plan, randomness="385")


def values(std, **override):
    good = {"过滤效率": ("96.5", "%"), "吸气阻力": ("150", "Pa"), "pH 值": ("6.8", "—")}
    good.update(override)
    return [{"item": i.pk, "value": good[i.name][0], "unit": good[i.name][1]} for i in std.items.all()
            if good.get(i.name) is not None]


def at_lab(actor, sample, sampled_on=dt.date(2026, 9, 1)):
    services.sample_record(actor=actor, sample=sample, product_name="KN95 口罩", batch_no="20260801",
                           produced_on=dt.date(2026, 8, 1), quantity="40 只", sampled_on=sampled_on, seal_no="FY001",
                           sampler_signed=True, producer_signed=True, today=TODAY)
    services.custody_add(actor=actor, sample=sample, on=sampled_on, handed_by="抽样人员", received_by="检验中心",
                         today=TODAY)
    sample.refresh_from_db()
    return sample
