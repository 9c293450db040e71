"""Benchmark of enforcement: the filtered case list and the nightly clock sweep at 100,000 cases.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_enforcement.py --cases 100000

Builds the database (migrate; the Pingdingshan organisation and demo staff; ``--cases`` cases spread over the ten
district bureaus and their stations, over fourteen case types, the last 400 days of filings and every status,
two officers each, one in five tagged with a campaign, 1 % with a running pause, seizures on 5 % and penalties on
the decided ones — written with ``bulk_create``), then times:

- the filtered case list a district officer sees (``selectors.case_search`` + ``page_of``: scope, one or two
  filters, first page and a deeper keyset page) — median of 15 runs per filter; the baseline is Django's
  ``Paginator`` on the same filters with COUNT, OFFSET and a query per row for the unit (the usual first cut);
- the nightly clock sweep ``services.sweep_clocks`` (set-based: overdue flags of leads, cases, seizures and
  payments, plus a recomputation of the clocks held by running pauses), first run and an idempotent second run;
  the baseline recomputes and saves every open case's clock row by row (``services.sweep_clocks_naive``), timed
  on a sample and extrapolated.

Targets: filtered case list ≤ 300 ms, nightly clock sweep ≤ 30 s (PostgreSQL).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.core import workdays  # noqa: E402
from jianguan.core.models import OrgUnit  # noqa: E402
from jianguan.enforcement import selectors, services  # noqa: E402
from jianguan.enforcement.models import (  # noqa: E402
    OPEN_CASE_STATUSES,
    Campaign,
    Case,
    CaseOfficer,
    ClockPause,
    Penalty,
    Seizure,
)
from jianguan.enforcement.rules import CASE_TYPES  # noqa: E402

TODAY = dt.date(2026, 9, 1)  # every 90-day deadline of the last 400 days of filings falls in a known year
STATUSES = ["filed"] * 30 + ["investigated"] * 8 + ["legal_review"] * 5 + ["reviewed"] * 3 + ["notified"] * 5 + \
    ["hearing"] * 1 + ["decided"] * 4 + ["served"] * 6 + ["executed"] * 8 + ["closed"] * 30
DECIDED = {"decided", "served", "executed", "closed"}


def build_org_and_staff():
    from jianguan.core.demo import build_org, build_staff
    from jianguan.core.roles import sync_roles

    sync_roles()
    if not OrgUnit.objects.filter(code="410402").exists() or not get_user_model().objects.filter(
            username="xh_case").exists():
        build_staff(build_org(), TODAY)


def seed_cases(n: int) -> float:
    have = Case.objects.count()
    if have >= n:
        return 0.0
    started = time.monotonic()
    units = list(OrgUnit.objects.filter(kind__in=["district", "station"]).order_by("path"))
    officers = {}
    for u in get_user_model().objects.filter(groups__name="case_officer", profile__isnull=False).select_related(
            "profile__unit"):
        district = u.profile.unit.path.split("/")[1] if u.profile.unit.kind != "city" else None
        officers.setdefault(district, []).append(u)
    city_officers = [u for us in officers.values() for u in us]
    campaigns = list(Campaign.objects.all())
    types = [c for c, _ in CASE_TYPES]
    deadlines: dict[dt.date, dt.date] = {}
    batch = 5000
    for start in range(have, n, batch):
        cases = []
        for i in range(start, min(n, start + batch)):
            unit = units[(i * 7) % len(units)]
            filed = TODAY - dt.timedelta(days=(i * 37) % 400)
            status = STATUSES[(i * 13) % len(STATUSES)]
            if filed not in deadlines:
                deadlines[filed] = workdays.period_end(filed, 90)
            cases.append(Case(
                number=f"B{unit.code}〔{filed.year}〕{i + 1}号", unit=unit, year=filed.year, seq=i + 1,
                party_name=f"基准当事人{i}", party_kind="organisation" if i % 3 else "individual",
                case_type=types[(i * 5) % len(types)], title="基准案件", status=status, filed_on=filed,
                decision_deadline=deadlines[filed], created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)))
        with transaction.atomic():
            Case.objects.bulk_create(cases)
            rows, tags, pauses, seizures, penalties = [], [], [], [], []
            through = Case.campaigns.through
            for c in cases:
                district = c.unit.path.split("/")[1]
                pool = officers.get(district) or city_officers
                a, b = pool[c.seq % len(pool)], pool[(c.seq + 1) % len(pool)]
                if a.pk == b.pk:
                    b = city_officers[c.seq % len(city_officers)]
                rows += [CaseOfficer(case=c, user=a, is_lead=True, credential_no="B", assigned_on=c.filed_on),
                         CaseOfficer(case=c, user=b, credential_no="B", assigned_on=c.filed_on)]
                if c.seq % 5 == 0 and campaigns:
                    tags.append(through(case_id=c.pk, campaign_id=campaigns[c.seq % len(campaigns)].pk))
                if c.seq % 100 == 1 and c.status in OPEN_CASE_STATUSES:
                    pauses.append(ClockPause(case=c, reason="appraisal", starts_on=c.filed_on + dt.timedelta(days=5)))
                if c.seq % 20 == 0:
                    seizures.append(Seizure(case=c, measure="seize", items="基准物品", decided_on=c.filed_on,
                                            ends_on=workdays.period_end(c.filed_on, 30),
                                            status="active" if c.status in OPEN_CASE_STATUSES else "released"))
                if c.status in DECIDED:
                    decided = c.filed_on + dt.timedelta(days=40)
                    penalties.append(Penalty(
                        case=c, unit=c.unit, party_name=c.party_name, party_kind=c.party_kind,
                        decision_no=f"B罚{c.seq}", decided_on=decided, kinds=["fine"], fine_amount=Decimal(5000),
                        facts="基准", legal_basis="基准",
                        payment_status="pending" if c.status == "served" else
                        ("paid" if c.status in ("executed", "closed") else "none"),
                        payment_due=decided + dt.timedelta(days=17)))
            CaseOfficer.objects.bulk_create(rows)
            through.objects.bulk_create(tags)
            ClockPause.objects.bulk_create(pauses)
            Seizure.objects.bulk_create(seizures)
            Penalty.objects.bulk_create(penalties)
        Case.objects.filter(pk__in=[p.case_id for p in pauses]).update(clock_paused=True)
        print(f"\r  案件 {min(n, start + batch):,}/{n:,}", end="", flush=True)
    print()
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("enforcement_case", "enforcement_caseofficer", "enforcement_case_campaigns",
                          "enforcement_penalty", "enforcement_seizure", "enforcement_clockpause"):
                cur.execute(f"ANALYZE {table}")
    return time.monotonic() - started


def _median_ms(fn, runs: int = 15) -> float:
    fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_list(user, city_user) -> list[tuple[str, float, float]]:
    officer_id = user.pk
    cases = [
        ("本局 · 未决定", user, selectors.CaseFilters(status="open")),
        ("本局 · 类型=食品 · 未决定", user, selectors.CaseFilters(status="open", case_type="food")),
        ("本局 · 超期", user, selectors.CaseFilters(overdue=True)),
        ("本局 · 办案人员=本人", user, selectors.CaseFilters(officer=officer_id)),
        ("本局 · 专项行动=打假", user, selectors.CaseFilters(campaign="dajia")),
        ("全市 · 类型=商标 · 已结案", city_user, selectors.CaseFilters(status="closed", case_type="trademark")),
        ("全市 · 当事人名称", city_user, selectors.CaseFilters(q="基准当事人4242")),
    ]
    out = []
    for label, who, f in cases:
        qs = selectors.case_search(who, f)

        def ours(qs=qs):
            page = selectors.page_of(qs, today=TODAY)
            if page.next_before:
                selectors.page_of(qs, before=page.next_before, today=TODAY)

        def naive(qs=qs):
            paginator = Paginator(qs.order_by("-filed_on", "-id"), 50)
            for number in (1, min(20, paginator.num_pages)):
                for case in paginator.page(number):
                    _ = case.unit.name  # a query per row

        out.append((label, _median_ms(ours), _median_ms(naive, runs=5)))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=3_000, help="open cases in the row-by-row sweep sample")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"数据库：{connection.vendor}")
    build_org_and_staff()
    seeded = seed_cases(args.cases)
    total = Case.objects.count()
    open_cases = Case.objects.filter(status__in=OPEN_CASE_STATUSES).count()
    print(f"准备：{seeded:.1f} s；案件 {total:,} 件，其中未决定 {open_cases:,} 件")

    User = get_user_model()
    district_user, city_user = User.objects.get(username="xh_case"), User.objects.get(username="zf_officer1")
    Case.objects.update(overdue=False)
    Seizure.objects.update(expired=False)
    Penalty.objects.filter(payment_status="overdue").update(payment_status="pending")
    started = time.monotonic()
    first = services.sweep_clocks(today=TODAY)
    sweep = time.monotonic() - started
    started = time.monotonic()
    second = services.sweep_clocks(today=TODAY)
    sweep2 = time.monotonic() - started

    sample = list(Case.objects.filter(status__in=OPEN_CASE_STATUSES).order_by("id")[: args.sample])
    started = time.monotonic()
    with transaction.atomic():
        for case in sample:
            services.recompute_case_clock(case, today=TODAY)
            case.save(update_fields=["decision_deadline", "paused_days", "clock_paused", "calendar_pending",
                                     "overdue"])
    loop = time.monotonic() - started
    extrapolated = loop / len(sample) * open_cases

    rows = bench_list(district_user, city_user)
    print(f"每夜期限作业（首次）：{sweep:.2f} s — {first}")
    print(f"每夜期限作业（再次运行，幂等）：{sweep2:.2f} s — {second}")
    print(f"逐件重算保存（样本 {len(sample):,} 件）：{loop:.1f} s，推算 {open_cases:,} 件 {extrapolated:,.1f} s；"
          f"倍数 {extrapolated / sweep:,.0f}；目标 ≤ 30 s：{'达到' if sweep <= 30 else '未达到'}")
    worst = 0.0
    for label, ours, naive in rows:
        worst = max(worst, ours)
        print(f"案件列表 {label}：{ours:.1f} ms（首页+下一页，键集）；基线（COUNT+OFFSET+逐行查询）{naive:.1f} ms；"
              f"倍数 {naive / ours:,.1f}")
    print(f"案件列表最慢 {worst:.1f} ms；目标 ≤ 300 ms：{'达到' if worst <= 300 else '未达到'}")


if __name__ == "__main__":
    main()
