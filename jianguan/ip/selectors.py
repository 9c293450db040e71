"""Reads of the IP department, scoped through ``core.scope``; campaign statistics; the figures for the work plan.

Campaign statistics are one grouped query over the cases tagged with the campaign (``enforcement.Case.campaigns``)
and filed in the period, joined to their penalty and IP facts (both one-to-one, so the sums are not multiplied).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum

from jianguan.core import lists
from jianguan.core.registers import live
from jianguan.core.rules import rule
from jianguan.core.scope import EVERYTHING, Scope, get_in_scope_or_404, scope_filter
from jianguan.enforcement.models import Campaign, Case, CaseStatus, Outcome

from .models import CaseFacts, GIProduct, GIUser, IPEnterprise, PatentPledge, TrademarkAgency


def gi_products_for(user) -> QuerySet[GIProduct]:
    # GIs are the city's, not a unit's: every IP officer sees them all; writes are limited by permission.
    return GIProduct.objects.all().order_by("name")


def gi_users_for(user) -> QuerySet[GIUser]:
    return scope_filter(GIUser.objects.select_related("product", "entity", "unit"), user).order_by(
        "product__name", "id")


def ip_enterprises_for(user) -> QuerySet[IPEnterprise]:
    return scope_filter(IPEnterprise.objects.select_related("entity", "unit"), user).order_by("-year", "level", "id")


def patent_pledges_for(user) -> QuerySet[PatentPledge]:
    return scope_filter(PatentPledge.objects.select_related("entity", "unit"), user).order_by("-registered_on", "-id")


def trademark_agencies_for(user) -> QuerySet[TrademarkAgency]:
    return scope_filter(TrademarkAgency.objects.select_related("entity", "unit", "licence"), user).order_by(
        "filing_no")


def ip_cases_for(user, *, year: int | None = None) -> QuerySet[Case]:
    """Cases of an IP case type in the user's scope, newest first, with their IP facts."""
    qs = scope_filter(Case.objects.filter(case_type__in=rule("ip.case_types")), user)
    if year:
        qs = qs.filter(filed_on__year=year)
    return (qs.select_related("unit", "ip_facts").prefetch_related("campaigns")
            .only("id", "number", "case_type", "party_name", "title", "status", "filed_on", "decision_deadline",
                  "clock_paused", "unit__short_name", "unit__name", "ip_facts__right_kind",
                  "ip_facts__registration_no", "ip_facts__right_holder", "ip_facts__goods_seized_qty",
                  "ip_facts__goods_seized_unit", "ip_facts__case_id")
            .order_by("-filed_on", "-id"))


def ip_case_for(user, pk: int) -> Case:
    return get_in_scope_or_404(Case.objects.select_related("unit", "entity"), user, "unit", pk=pk,
                               case_type__in=rule("ip.case_types"))


def case_facts(case: Case) -> CaseFacts | None:
    return CaseFacts.objects.filter(case=case).first()


# --- campaign statistics ------------------------------------------------------------------------------------------


@dataclass
class CampaignRow:
    code: str
    name: str
    cases: int = 0
    closed: int = 0
    goods_value: Decimal = Decimal(0)
    fines: Decimal = Decimal(0)
    confiscated: Decimal = Decimal(0)
    seized: int = 0
    transferred: int = 0
    units: list[dict] = field(default_factory=list)

    @property
    def penalties(self) -> Decimal:
        return self.fines + self.confiscated


def _period(year: int, start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    return start or dt.date(year, 1, 1), end or dt.date(year, 12, 31)


def campaign_statistics(user, *, year: int, codes: list[str] | None = None, start: dt.date | None = None,
                        end: dt.date | None = None) -> list[CampaignRow]:
    """Per campaign (and per unit inside it): cases filed in the period, closed, goods value, fines and
    confiscations, goods seized, cases transferred to the judiciary. ``user`` None: the whole city (the portal)."""
    codes = list(codes or rule("ip.report_campaigns"))
    first, last = _period(year, start, end)
    campaigns = {c.code: c for c in Campaign.objects.filter(code__in=codes)}
    rows = {code: CampaignRow(code, campaigns[code].name) for code in codes if code in campaigns}
    qs = Case.objects.filter(campaigns__code__in=list(rows), filed_on__gte=first, filed_on__lte=last)
    if user is not None:
        qs = scope_filter(qs, user)
    grouped = (qs.values("campaigns__code", "unit__short_name", "unit__path")
               .annotate(cases=Count("id"), closed=Count("id", filter=Q(status=CaseStatus.CLOSED)),
                         goods_value=Sum("goods_value"), fines=Sum("penalty__fine_amount"),
                         confiscated=Sum("penalty__confiscated_amount"), seized=Sum("ip_facts__goods_seized_qty"),
                         transferred=Count("id", filter=Q(outcome=Outcome.TRANSFERRED)))
               .order_by("campaigns__code", "unit__path"))
    for g in grouped:
        row = rows[g["campaigns__code"]]
        unit = {"unit": g["unit__short_name"], "cases": g["cases"], "closed": g["closed"],
                "goods_value": g["goods_value"] or Decimal(0), "fines": g["fines"] or Decimal(0),
                "confiscated": g["confiscated"] or Decimal(0), "seized": g["seized"] or 0,
                "transferred": g["transferred"]}
        unit["penalties"] = unit["fines"] + unit["confiscated"]
        row.units.append(unit)
        row.cases += unit["cases"]
        row.closed += unit["closed"]
        row.goods_value += unit["goods_value"]
        row.fines += unit["fines"]
        row.confiscated += unit["confiscated"]
        row.seized += unit["seized"]
        row.transferred += unit["transferred"]
    return list(rows.values())


def statistics_workbook(rows: list[CampaignRow], *, year: int, unit_name: str) -> bytes:
    """The report a campaign sends up: one sheet of totals per campaign, one per campaign and unit."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    headers = ["专项行动", "立案（件）", "结案（件）", "涉案货值（元）", "罚款（元）", "没收违法所得（元）",
               "罚没款合计（元）", "查扣侵权商品（件）", "移送司法机关（件）"]
    wb = Workbook()
    ws = wb.active
    ws.title = "汇总"
    ws.append([f"{unit_name} {year} 年知识产权专项行动统计表"])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(headers)
    for r in rows:
        ws.append([r.name, r.cases, r.closed, float(r.goods_value), float(r.fines), float(r.confiscated),
                   float(r.penalties), r.seized, r.transferred])
    ws.append(["合计", sum(r.cases for r in rows), sum(r.closed for r in rows),
               float(sum((r.goods_value for r in rows), Decimal(0))), float(sum((r.fines for r in rows), Decimal(0))),
               float(sum((r.confiscated for r in rows), Decimal(0))),
               float(sum((r.penalties for r in rows), Decimal(0))), sum(r.seized for r in rows),
               sum(r.transferred for r in rows)])
    detail = wb.create_sheet("分单位")
    detail.append(["专项行动", "单位"] + headers[1:])
    for r in rows:
        for u in r.units:
            detail.append([r.name, u["unit"], u["cases"], u["closed"], float(u["goods_value"]), float(u["fines"]),
                           float(u["confiscated"]), float(u["fines"] + u["confiscated"]), u["seized"],
                           u["transferred"]])
    for sheet in (ws, detail):
        for col in "ABCDEFGHIJ":
            sheet.column_dimensions[col].width = 18
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- figures for the work plan's live targets (``ip/metrics.py`` registers them; each: ``year``, ``scope``) -------


def _within(qs, scope: Scope, unit_field: str = "unit"):
    if scope.everything:
        return qs
    return qs.filter(**{f"{unit_field}__in": scope.unit_ids}) if scope.unit_ids else qs.none()


def ip_cases_filed(*, year: int, scope: Scope = EVERYTHING) -> int:
    """IP enforcement cases (商标侵权、假冒专利、侵权假冒) filed in ``year``."""
    return _within(Case.objects.filter(case_type__in=rule("ip.case_types"), filed_on__year=year), scope).count()


def campaign_cases_filed(*, year: int, scope: Scope = EVERYTHING, campaign: str = "huhang") -> int:
    """Cases of ``campaign`` (护航 by default) filed in ``year``."""
    return _within(Case.objects.filter(campaigns__code=campaign, filed_on__year=year), scope).count()


def campaign_penalties(*, year: int, scope: Scope = EVERYTHING, campaign: str = "huhang") -> Decimal:
    """Fines and confiscations (元) decided in cases of ``campaign`` filed in ``year``."""
    qs = _within(Case.objects.filter(campaigns__code=campaign, filed_on__year=year), scope)
    sums = qs.aggregate(f=Sum("penalty__fine_amount"), c=Sum("penalty__confiscated_amount"))
    return (sums["f"] or Decimal(0)) + (sums["c"] or Decimal(0))


def gi_users_total(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Authorised users of GI special marks registered by the end of ``year``."""
    return _within(live(GIUser.objects).filter(approved_on__year__lte=year), scope).count()


def ip_enterprises_recognised(*, year: int, scope: Scope = EVERYTHING) -> int:
    """Recognitions as IP advantage/demonstration enterprise in ``year``."""
    return _within(live(IPEnterprise.objects).filter(year=year), scope).count()


def patent_pledge_amount(*, year: int, scope: Scope = EVERYTHING) -> Decimal:
    """Patent pledge financing registered in ``year`` (万元)."""
    qs = _within(live(PatentPledge.objects).filter(registered_on__year=year), scope)
    return qs.aggregate(s=Sum("amount"))["s"] or Decimal(0)


def _facts(c, what: str) -> str:
    facts = getattr(c, "ip_facts", None)
    if facts is None:
        return "未登记知识产权要素" if what == "right" else ""
    if what == "right":
        return f"{facts.get_right_kind_display()} {facts.registration_no}".strip()
    if what == "holder":
        return facts.right_holder
    return f"{facts.goods_seized_qty or ''} {facts.goods_seized_unit}".strip()


#: 知识产权案件: a work queue, the nearest decision deadline first.
IP_CASE_LIST = lists.Spec(
    key="ip.cases", title="知识产权案件", default_sort="deadline", default_note="办案期限最近的在前",
    export_permission="enforcement.view_case",
    columns=(
        lists.Column("number", "立案编号", sort="number", width=22),
        lists.Column("party", "当事人", "party_name", sort="party_name", width=28),
        lists.Column("title", "案由", sort="title", width=30),
        lists.Column("campaigns", "专项行动", lambda c: "、".join(cp.name for cp in c.campaigns.all()), width=24),
        lists.Column("right", "权利/登记号", lambda c: _facts(c, "right"), sort="ip_facts__registration_no",
                     width=24),
        lists.Column("holder", "权利人", lambda c: _facts(c, "holder"), sort="ip_facts__right_holder", width=24),
        lists.Column("seized", "查扣", lambda c: _facts(c, "seized"), width=14),
        lists.Column("deadline", "期限", lambda c: c.decision_deadline, sort="decision_deadline", width=12),
        lists.Column("paused", "期限暂停", "clock_paused", width=8, header=False),
    ))
