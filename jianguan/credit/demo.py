"""Credit demo data: two annual-report cycles, listings and cures, the serious list, repairs, instant information,
enterprise accounts and an initial risk classification. Works on whatever entities the registry demo seeded
(deterministic subsets by id); running it again changes nothing.

The most recent cycle is left for the credit officer: its non-filers are not listed yet, so
``jianguan sweep --today <first working day of July>`` replays the July listing and shows its effect.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import bulk, workdays
from jianguan.core.demo import DEMO_PASSWORD, demo_password_hash, step
from jianguan.core.models import PublicProfile
from jianguan.registry.models import Entity, EntityKind, EntityStatus

from . import periods, risk, services, sweep
from .models import AnnualReport, Ground, InstantInfo, ListEntry, RepairKind

ACCOUNTS = 6


def _july(year: int) -> dt.date:
    """The first working day after the window for report ``year`` closes (the July listing day)."""
    day = periods.window(year)[1] + dt.timedelta(days=1)
    try:
        while not workdays.is_workday(day):
            day += dt.timedelta(days=1)
    except workdays.CalendarUnknown:
        pass
    return day


def _report_row(entity_id: int, year: int, filed_on: dt.date, *, late: bool = False, zero: bool = False):
    scale = Decimal(entity_id % 97 + 3)
    money = (lambda f: Decimal(0)) if zero else (lambda f: (scale * f).quantize(Decimal("0.01")))
    rep = AnnualReport(
        entity_id=entity_id, year=year, version=1, is_current=True, filed_on=filed_on, late=late,
        address="", phone=f"1380375{entity_id % 10000:04d}", employees=0 if zero else entity_id % 40 + 1,
        total_assets=money(Decimal("12.5")), total_liabilities=money(Decimal("4.2")), revenue=money(Decimal("20")),
        profit=money(Decimal("1.8")), net_profit=money(Decimal("1.5")), tax=money(Decimal("0.6")),
        insured_employees=0 if zero else entity_id % 20, public_employees=True, public_financials=entity_id % 3 == 0)
    rep.financials_all_zero = rep.compute_all_zero()
    return rep


def _filed_on(entity_id: int, year: int) -> dt.date:
    return dt.date(year + 1, 1, 5) + dt.timedelta(days=entity_id % 170)


def _officer():
    return get_user_model().objects.filter(username="xy_officer").first() or "demo"


def _head():
    return get_user_model().objects.filter(username="xh_head").first() or "demo"


def _accounts(entities: list[Entity]) -> list[dict]:
    User = get_user_model()
    out = []
    for entity in entities:
        username = f"ent_{entity.uscc[-6:].lower()}"
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, first_name=entity.legal_rep)
            user.password = demo_password_hash()
            user.save()
        PublicProfile.objects.update_or_create(user=user, defaults={"kind": PublicProfile.Kind.ENTERPRISE,
                                                                    "entity": entity})
        out.append({"username": username, "entity": entity.name, "uscc": entity.uscc})
    return out


def _pick_accounts(closed: int) -> list[Entity]:
    """A stable handful: filed and clean, listed for the earlier cycle, and missing the latest report."""
    base = Entity.objects.filter(status=EntityStatus.ACTIVE, kind=EntityKind.LLC).order_by("id")
    missing = list(base.filter(list_entries__ground=Ground.REPORT_NOT_FILED, list_entries__status="active")
                   .distinct()[:2])
    unfiled = list(services.non_filers(closed).filter(kind=EntityKind.LLC).exclude(
        pk__in=[e.pk for e in missing]).order_by("id")[:2])
    clean = list(base.exclude(pk__in=[e.pk for e in missing + unfiled]).filter(
        annual_reports__year=closed).order_by("id")[:ACCOUNTS - len(missing) - len(unfiled)])
    return clean + missing + unfiled


@step(30, "信用监管")
def demo_credit(*, today: dt.date, stdout) -> dict:
    if not Entity.objects.exists():
        stdout.write("  没有市场主体，跳过信用监管演示数据。")
        return {}
    closed = periods.closed_year(today)
    earlier = closed - 1
    if not AnnualReport.objects.exists():
        with transaction.atomic(), risk.deferred():
            _seed(today=today, closed=closed, earlier=earlier, stdout=stdout)
    with transaction.atomic():
        logins = _accounts(_pick_accounts(closed))
        result = risk.recompute(on=today)
    stdout.write(f"  风险分类 {result.entities} 户；企业演示账号（密码 {DEMO_PASSWORD}）：")
    for row in logins:
        stdout.write(f"    {row['username']:<12} {row['entity']}（{row['uscc']}）")
    stdout.write(f"  回放7月年报列异：jianguan sweep --today {_july(closed).isoformat()}")
    return {"enterprise_logins": logins}


def _seed(*, today: dt.date, closed: int, earlier: int, stdout) -> None:
    officer, head = _officer(), _head()
    rows = list(Entity.objects.filter(status=EntityStatus.ACTIVE).values_list("id", "kind", "established_on"))

    def required(year):  # the rules read once per year, not twice per entity (issue 16)
        test = periods.reporting(year)
        return [pk for pk, kind, est in rows if test(kind, est)]

    # The earlier cycle, completed: 82% filed on time, 5% filed late (after being listed), 13% never filed.
    reports = [_report_row(pk, earlier, _filed_on(pk, earlier), zero=pk % 37 == 0)
               for pk in required(earlier) if pk % 100 < 82]
    bulk.create(reports, batch_size=2000)
    july = _july(earlier)
    counts = sweep.annual_report_listing(today=july, stdout=stdout)
    stdout.write(f"  {earlier}年度：按时报送 {len(reports)} 户，7月列异 {counts['listed']} 户、"
                 f"个体工商户标记异常状态 {counts['marked_individual']} 户")
    late_day = july + dt.timedelta(days=60)
    late = [pk for pk in required(earlier) if 82 <= pk % 100 < 87]
    # The late filers, set-based (each what report_file does: the report, its audit entry, the listing cured).
    services.reports_file_late_many(actor="demo", reports=[
        _report_row(pk, earlier, late_day + dt.timedelta(days=pk % 40), late=True) for pk in late])
    # The latest cycle, window closed, July listing not run yet (the officer replays it with the sweep): the
    # earlier non-filers still have not filed, and about one in thirteen of the others missed it this time.
    latest = [_report_row(pk, closed, _filed_on(pk, closed), zero=pk % 41 == 0)
              for pk in required(closed) if pk % 100 < 88 and pk % 13 != 5]
    bulk.create(latest, batch_size=2000)
    stdout.write(f"  {closed}年度：已报送 {len(latest)} 户（报送期已截止，尚未列异）")
    open_year = periods.open_year(today)
    if open_year:
        current = [_report_row(pk, open_year, min(today, _filed_on(pk, open_year)))
                   for pk in required(open_year) if pk % 100 < 55]
        bulk.create(current, batch_size=2000)

    listed = list(ListEntry.objects.filter(ground=Ground.REPORT_NOT_FILED, status="active", list_kind="abnormal")
                  .select_related("entity").order_by("entity_id"))
    # Unreachable at the registered address, close to three years ago: the sweep's 60-day reminder and a candidate.
    three_years_ago = risk.months_before(today, 36)
    spare = list(Entity.objects.filter(status=EntityStatus.ACTIVE, kind=EntityKind.LLC)
                 .exclude(list_entries__isnull=False).order_by("-id")[:12])
    for i, entity in enumerate(spare[:4]):
        services.list_enter(actor=officer, entity=entity, ground=Ground.UNREACHABLE,
                            facts="实地核查：通过登记的住所无法联系", today=three_years_ago + dt.timedelta(days=20 * i - 5))
    # The serious list: two listed more than a year ago (one applies for early removal), one recently, two proposed.
    serious = spare[4:9]
    for i, entity in enumerate(serious):
        when = today - dt.timedelta(days=(420, 400, 40, 10, 5)[i])
        entry = services.serious_propose(
            actor=officer, entity=entity, ground=Ground.FOOD_DRUG_SAFETY if i % 2 == 0 else Ground.FAIR_COMPETITION,
            facts="生产经营不符合食品安全标准的食品，货值金额较大" if i % 2 == 0 else "虚假宣传，情节严重",
            penalty_ref=f"平市监罚〔{when.year}〕{30 + i}号", today=when)
        if i < 3:
            services.serious_approve(actor=head, entry=entry, today=when + dt.timedelta(days=8))
    first = ListEntry.objects.filter(entity=serious[0], list_kind="serious").first()
    services.repair_apply(actor="demo", entity=serious[0], kind=RepairKind.LIST_REMOVAL, list_entry=first,
                          statement="已全面整改并缴纳罚款，承诺守法经营。", today=today - dt.timedelta(days=3))
    # Repairs of penalty publication: one pending, one granted.
    for i, entity in enumerate(spare[9:11]):
        app = services.repair_apply(
            actor="demo", entity=entity, kind=RepairKind.PENALTY_PUBLICATION, penalty_ref=f"新市监罚〔{earlier}〕{8 + i}号",
            penalty_sector="other", penalty_published_on=today - dt.timedelta(days=240 + 30 * i),
            statement="已履行处罚决定，申请提前停止公示。", today=today - dt.timedelta(days=6 - i))
        if i == 1:
            services.repair_decide(actor=officer, application=app, approve=True, today=today - dt.timedelta(days=2))
    # Instant information: published, overdue, and ordered with the order's period run out (the sweep lists it).
    for i, entity in enumerate(spare[11:12] + [e.entity for e in listed[:3]]):
        arose = today - dt.timedelta(days=(10, 45, 60, 90)[i])
        info = services.instant_info_record(actor="demo", entity=entity, kind=InstantInfo.Kind.CAPITAL,
                                            content="股东实缴出资50万元", arose_on=arose)
        if i == 0:
            services.instant_info_publish(actor="demo", info=info, today=arose + dt.timedelta(days=5))
        elif i == 3:
            services.instant_info_order(actor=officer, info=info, today=info.due_on + dt.timedelta(days=3))
