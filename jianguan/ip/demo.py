"""Demo of the IP department: three of the city's GIs with authorised users, recognitions, pledges, two trademark
agencies, and the IP facts of the demo enforcement cases (one of them sent to the right holder for
identification). Set-based (bulk_create), one transaction, one audit entry; idempotent (skips when the GIs exist).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import audit
from jianguan.core.demo import step
from jianguan.core.errors import DomainError
from jianguan.core.models import OrgUnit
from jianguan.enforcement.models import OPEN_CASE_STATUSES, Case
from jianguan.registry.models import ENTERPRISE_KINDS, Entity, EntityStatus, Licence

from . import numbers, services
from .models import (
    CaseFacts,
    EnterpriseLevel,
    GIKind,
    GIProduct,
    GIUser,
    IPEnterprise,
    PatentPledge,
    RightKind,
    TrademarkAgency,
)

# (name, kind, number, holder, area, area note) — demo values, not the official announcements.
GIS = [
    ("郏县红牛", GIKind.PRODUCT, "演示-地标产品-001", "郏县人民政府", ["410425"], "郏县现辖行政区域"),
    ("宝丰酒", GIKind.PRODUCT, "演示-地标产品-002", "宝丰县人民政府", ["410421"], "宝丰县现辖行政区域"),
    ("汝瓷", GIKind.CERTIFICATION_MARK, "演示-证明商标-003", "汝州市汝瓷协会", ["410482"], "汝州市现辖行政区域"),
]
HOLDERS = {"trademark": ("4409718", "平顶山某酒业股份有限公司", "白酒"),
           "patent_counterfeit": ("ZL201080063196.9", "河南某电气科技有限公司", "电器开关"),
           "counterfeit_goods": ("12345678", "某头盔制造有限公司", "电动车头盔")}


def _patent(serial: int, year: int = 2019, kind: str = "1") -> str:
    digits = f"{year}{kind}{serial:07d}"
    return f"ZL{digits}.{numbers.patent_check(digits)}"


@step(70, "知识产权")
def demo_ip(*, today: dt.date, stdout) -> dict:
    if GIProduct.objects.exists():
        return {"skipped": True}
    city = OrgUnit.objects.get(code="410400ZC")
    officer = get_user_model().objects.filter(username="zc_officer").first()
    active = Entity.objects.filter(status=EntityStatus.ACTIVE, kind__in=ENTERPRISE_KINDS).order_by("id")
    with transaction.atomic():
        products = GIProduct.objects.bulk_create([
            GIProduct(name=n, kind=k, registration_no=no, holder=h, area=a, area_note=note,
                      approved_on=dt.date(2015 + i, 6, 1), unit=city)
            for i, (n, k, no, h, a, note) in enumerate(GIS)])
        users = []
        for product in products:
            for j, entity in enumerate(active.filter(division_id__in=product.area)[:4]):
                users.append(GIUser(product=product, entity=entity, approved_on=today - dt.timedelta(days=400 - 30 * j),
                                    announcement_no=f"演示-使用人-{product.pk:02d}{j:02d}", unit_id=entity.unit_id))
        GIUser.objects.bulk_create(users)

        firms = list(active[:40])
        levels = [EnterpriseLevel.NATIONAL_ADVANTAGE, EnterpriseLevel.PROVINCIAL_ADVANTAGE,
                  EnterpriseLevel.NATIONAL_DEMONSTRATION, EnterpriseLevel.PROVINCIAL_DEMONSTRATION]
        IPEnterprise.objects.bulk_create([
            IPEnterprise(entity=e, level=levels[i % 4], year=today.year - (i % 2), unit_id=e.unit_id,
                         document_no=f"演示-认定-{today.year - (i % 2)}-{i + 1:02d}")
            for i, e in enumerate(firms[:8])])
        PatentPledge.objects.bulk_create([
            PatentPledge(pledge_no=f"Y{today.year}410000{i + 1:04d}", entity=e, patents=[_patent(1000 + i * 7)],
                         pledgee=["中国银行平顶山分行", "平顶山银行", "中原银行平顶山分行"][i % 3],
                         amount=Decimal(300 + 150 * i), registered_on=today - dt.timedelta(days=30 * (i + 1)),
                         ends_on=today + dt.timedelta(days=365), subsidised=i % 2 == 0, unit_id=e.unit_id)
            for i, e in enumerate(firms[8:13])])
        kind = services.agency_licence_kind()
        agencies = firms[13:15]
        licences = Licence.objects.bulk_create([
            Licence(entity=e, kind=kind, number=f"TMA-DEMO-{i + 1:03d}", issuer="国家知识产权局",
                    issued_on=today - dt.timedelta(days=700), scope="商标代理") for i, e in enumerate(agencies)])
        TrademarkAgency.objects.bulk_create([
            TrademarkAgency(entity=e, filing_no=lic.number, filed_on=lic.issued_on, licence=lic, unit_id=e.unit_id)
            for e, lic in zip(agencies, licences, strict=True)])

        cases = list(Case.objects.filter(case_type__in=list(HOLDERS), ip_facts__isnull=True).order_by("id"))
        CaseFacts.objects.bulk_create([
            CaseFacts(case=c, right_kind=RightKind.PATENT if c.case_type == "patent_counterfeit" else RightKind.TRADEMARK,
                      registration_no=HOLDERS[c.case_type][0], right_holder=HOLDERS[c.case_type][1],
                      goods=HOLDERS[c.case_type][2], goods_seized_qty=40 + 25 * i, goods_seized_unit="件",
                      recorded_by=officer)
            for i, c in enumerate(cases)])
        audit.record(actor=officer or "demo", action="ip.demo.loaded", object_type="ip", object_id="demo",
                     object_repr="知识产权演示数据", unit=city,
                     changes={"gi_users": [None, len(users)], "case_facts": [None, len(cases)]})
    identifying = 0
    open_trademark = next((c for c in cases if c.case_type == "trademark" and c.status in OPEN_CASE_STATUSES
                           and not c.clock_paused), None)
    if open_trademark is not None and officer is not None:
        try:
            services.identification_start(actor=officer, case=open_trademark, starts_on=today - dt.timedelta(days=3),
                                          note="涉案白酒送商标权利人辨认")
            identifying = 1
        except DomainError:
            pass  # the case already has a pause running, or the date falls before an earlier pause: keep its clock
    return {"gi_users": len(users), "case_facts": len(cases), "identifying": identifying}
