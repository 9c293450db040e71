"""Benchmark of catering grading: annual grades of 50,000 caterers from a year of grading inspections.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_food.py --caterers 50000

Builds the database (migrate; organisation and demo staff; ``--caterers`` generated entities; ``--per`` grading
inspections each over the past 14 months — COPY on PostgreSQL), then times:

1. ``services.annual_compute`` from nothing: one aggregate query over the inspections in the 12-month window, the
   levels computed, every grade written (bulk upsert), the stored public records invalidated, one audit entry.
2. The same the next day with nothing changed (what the daily sweep does most days): only the read and compare.
3. A day on which a month of inspections leaves the window (some grades change).
Baseline: the naive way — for each caterer, read its inspections in the window and save its grade one by one
(``update_or_create``) — timed on ``--naive-sample`` caterers and scaled to all of them.

Target (PostgreSQL): 50,000 caterers ≤ 30 s. Each figure is printed with the load average of the moment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.core.rules import rule  # noqa: E402
from jianguan.food import grading, services  # noqa: E402
from jianguan.food.models import AnnualGrade, GradingInspection  # noqa: E402
from jianguan.registry import seeding  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

TODAY = dt.date(2026, 12, 4)
GRADES = ("excellent", "good", "fair")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} {five:.2f} {fifteen:.2f}"


def build(caterers: int, per: int) -> list[int]:
    from jianguan.core.demo import build_org, build_staff

    call_command("migrate", verbosity=0)
    if not get_user_model().objects.filter(username="sp_supervisor").exists():
        build_staff(build_org(), TODAY)
    have = Entity.objects.count()
    if have < caterers:
        t = time.monotonic()
        seeding.seed_entities(caterers - have, today=TODAY)
        print(f"生成市场主体 {caterers - have:,} 户：{time.monotonic() - t:.1f} s")
    firms = list(Entity.objects.order_by("id").values_list("id", "unit_id")[:caterers])
    if GradingInspection.objects.exists():
        return [f[0] for f in firms]
    inspector = get_user_model().objects.get(username="sp_supervisor").pk
    rnd = random.Random(18)
    t = time.monotonic()
    rows = []
    for entity_id, unit_id in firms:
        for _ in range(per):
            day = TODAY - dt.timedelta(days=rnd.randrange(425))
            score = Decimal(rnd.choice(range(60, 101, 5)))
            grade = "excellent" if score >= 90 else ("good" if score >= 70 else "fair")
            rows.append((entity_id, unit_id, day, inspector, score, grade))
    table = GradingInspection._meta.db_table
    now = dt.datetime.now(dt.UTC)
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} (entity_id, unit_id, inspected_on, inspector_id, score, grade,"
                                 " answers, note, created_at) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row((*r, "[]", "", now))
        else:
            GradingInspection.objects.bulk_create(
                [GradingInspection(entity_id=r[0], unit_id=r[1], inspected_on=r[2], inspector_id=r[3], score=r[4],
                                   grade=r[5], answers=[], created_at=now) for r in rows], batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {table}")
    print(f"写入量化分级检查 {len(rows):,} 次：{time.monotonic() - t:.1f} s")
    return [f[0] for f in firms]


def naive(entity_ids: list[int], as_of: dt.date) -> None:
    """One caterer at a time: its inspections in the window, its level, its grade saved."""
    start = services.window_start(as_of)
    thresholds = rule("food.annual_thresholds", on=as_of)
    for entity_id in entity_ids:
        found = list(GradingInspection.objects.filter(entity_id=entity_id, inspected_on__gte=start,
                                                      inspected_on__lte=as_of).values_list("score", "grade",
                                                                                           "unit_id"))
        if not found:
            AnnualGrade.objects.filter(entity_id=entity_id).delete()
            continue
        average = (sum(s for s, _, _ in found) / len(found)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        fair = sum(1 for _, g, _ in found if g == "fair")
        AnnualGrade.objects.update_or_create(entity_id=entity_id, defaults={
            "unit_id": found[0][2], "as_of": as_of, "level": grading.annual_level(average, fair, thresholds),
            "average": average, "inspections": len(found), "fair_count": fair})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--caterers", type=int, default=50_000)
    ap.add_argument("--per", type=int, default=4, help="grading inspections per caterer over 14 months")
    ap.add_argument("--naive-sample", type=int, default=2_000)
    args = ap.parse_args()
    print(f"数据库：{connection.vendor}；餐饮单位 {args.caterers:,} 户，每户约 {args.per} 次检查")
    ids = build(args.caterers, args.per)
    n = len(ids)
    AnnualGrade.objects.all().delete()

    t = time.monotonic()
    first = services.annual_compute(actor="bench", as_of=TODAY)
    full = time.monotonic() - t
    graded = AnnualGrade.objects.count()
    print(f"年度等级（首次，全部写入）：{full:.2f} s — 写入 {first['annual_changed']:,} 户，共 {graded:,} 户有年度等级"
          f"（{load()}）")
    t = time.monotonic()
    second = services.annual_compute(actor="bench", as_of=TODAY)
    print(f"年度等级（次日无变化）：{time.monotonic() - t:.2f} s — 写入 {second['annual_changed']:,} 户（{load()}）")
    t = time.monotonic()
    later = services.annual_compute(actor="bench", as_of=TODAY + dt.timedelta(days=30))
    print(f"年度等级（30 天后，一个月的检查移出窗口）：{time.monotonic() - t:.2f} s — 变化 {later['annual_changed']:,} 户，"
          f"撤销 {later['annual_removed']:,} 户（{load()}）")

    sample = ids[: min(args.naive_sample, n)]
    AnnualGrade.objects.filter(entity_id__in=sample).delete()
    t = time.monotonic()
    with transaction.atomic():
        naive(sample, TODAY)
    spent = time.monotonic() - t
    scaled = spent * n / len(sample)
    print(f"基线（逐户查询并保存）：{len(sample):,} 户 {spent:.2f} s，折算 {n:,} 户约 {scaled:.1f} s（{load()}）")
    print(f"比值：基线 / 集合计算 = {scaled / full:.1f} 倍；目标 {n:,} 户 ≤ 30 s："
          f"{'达到' if full <= 30 else '未达到'}")


if __name__ == "__main__":
    main()
