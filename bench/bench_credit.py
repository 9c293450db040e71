"""Benchmark of the credit risk classification: set-based full recomputation against the per-entity loop.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_credit.py --entities 1000000

Builds the database (migrate; ``registry.seeding.seed_entities`` for the entities and their licences; annual
reports for 2025 for ~88 % of the entities that must file, 1 in 29 of them with all-zero financials, some late;
the July listing of the non-filers and a few serious-list entries, all written set-based), then times:

- the full reclassification ``risk.recompute()`` the first time (every EntityRisk row and history row written),
- the same again with nothing changed (the daily sweep's usual case: nothing written),
- the per-entity loop (``risk.recompute_each``: one recomputation per entity) on a sample, extrapolated to all
  entities — the baseline — and the ratio.

Target: the full reclassification of 1,000,000 entities in ≤ 60 s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.credit import risk  # noqa: E402
from jianguan.credit.models import AnnualReport, EntityRisk, EntityRiskHistory  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

ON = dt.date(2026, 8, 3)  # after the 2025 window closed and the July listing
YEAR = 2025


def seed(n: int) -> float:
    have = Entity.objects.count()
    if have >= n:
        return 0.0
    from jianguan.registry.seeding import seed_entities

    started = time.monotonic()
    seed_entities(n - have, today=ON, progress=lambda done, total: print(f"\r  主体 {done:,}/{total:,}", end=""))
    print()
    return time.monotonic() - started


def credit_data() -> float:
    """Reports, listings and serious entries for a realistic fraction, set-based (no Python loop per entity)."""
    if AnnualReport.objects.exists():
        return 0.0
    started = time.monotonic()
    pg = connection.vendor == "postgresql"
    now = "'2026-08-01 08:00:00+08'" if pg else "'2026-08-01 00:00:00'"

    def d(day: str) -> str:  # a date literal both databases accept in INSERT … SELECT
        return f"DATE '{day}'" if pg else f"'{day}'"

    filing = ("e.status = 'active' AND e.established_on < '2026-01-01' AND (e.id * 7919) % 100 < 88")
    with transaction.atomic(), connection.cursor() as cur:
        # address and phone blank: they are ciphertext columns (#14), and a plaintext literal would not decrypt
        cur.execute(
            "INSERT INTO credit_annualreport (entity_id, year, version, is_current, filed_on, filed_at, late, "
            "address, postal_code, phone, email, operating_status, employees, total_assets, total_liabilities, "
            "revenue, profit, net_profit, tax, financials_all_zero, insured_employees, websites, investments, "
            "guarantees, public_employees, public_financials, public_guarantees) "
            f"SELECT e.id, {YEAR}, 1, TRUE, CASE WHEN e.id % 50 = 0 THEN {d('2026-07-20')} ELSE {d('2026-04-01')} END, "
            f"{now}, e.id % 50 = 0, '', '467000', '', '', '开业', e.id % 30, "
            "CASE WHEN e.id % 29 = 0 THEN 0 ELSE 100 END, 0, CASE WHEN e.id % 29 = 0 THEN 0 ELSE 50 END, 0, 0, 0, "
            "e.id % 29 = 0, e.id % 10, '', '', '', TRUE, FALSE, FALSE "
            f"FROM registry_entity e WHERE {filing}")
        reports = cur.rowcount
        cur.execute(
            "INSERT INTO credit_listentry (entity_id, list_kind, ground, status, facts, report_year, "
            "ground_arose_on, listing_due_on, deciding_unit_id, listed_on, decision_no, penalty_ref, removal_reason, "
            "removal_no, removal_requested_how, created_at) "
            "SELECT e.id, CASE WHEN e.kind = 'individual' THEN 'abnormal_status' ELSE 'abnormal' END, "
            f"'report_not_filed', 'active', '', {YEAR}, {d('2026-07-01')}, {d('2026-07-15')}, "
            f"e.registration_authority_id, {d('2026-07-01')}, 'B异〔2026〕' || CAST(e.id AS VARCHAR(12)) || '号', "
            f"'', '', '', '', {now} FROM registry_entity e WHERE e.status = 'active' AND e.established_on < '2026-01-01' "
            f"AND NOT EXISTS (SELECT 1 FROM credit_annualreport r WHERE r.entity_id = e.id AND r.year = {YEAR})")
        listed = cur.rowcount
        cur.execute(
            "INSERT INTO credit_listentry (entity_id, list_kind, ground, status, facts, ground_arose_on, "
            "deciding_unit_id, listed_on, decision_no, term_ends_on, penalty_ref, removal_reason, removal_no, "
            "removal_requested_how, created_at) "
            f"SELECT e.id, 'serious', 's_food_drug', 'active', '', {d('2026-01-05')}, e.registration_authority_id, "
            f"{d('2026-01-05')}, 'B严〔2026〕' || CAST(e.id AS VARCHAR(12)) || '号', {d('2029-01-05')}, 'B罚', '', '', '', "
            f"{now} FROM registry_entity e WHERE e.status = 'active' AND e.id % 997 = 0")
        serious = cur.rowcount
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            for table in ("credit_annualreport", "credit_listentry"):
                cur.execute(f"ANALYZE {table}")
    print(f"  年报 {reports:,} 份，列异 {listed:,} 户，严重违法失信 {serious:,} 户")
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--sample", type=int, default=5_000, help="entities in the per-entity loop sample")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    print(f"数据库：{connection.vendor}")
    seeded = seed(args.entities)
    prepared = credit_data()
    active = Entity.objects.filter(status="active").count()
    print(f"准备：生成主体 {seeded:.1f} s，信用数据 {prepared:.1f} s；存续主体 {active:,} 户")

    EntityRisk.objects.all().delete()
    EntityRiskHistory.objects.all().delete()
    started = time.monotonic()
    first = risk.recompute(on=ON)
    full = time.monotonic() - started
    started = time.monotonic()
    again = risk.recompute(on=ON)
    steady = time.monotonic() - started

    sample = list(Entity.objects.filter(status="active").order_by("id").values_list("id", flat=True)
                  [: args.sample])
    started = time.monotonic()
    risk.recompute_each(sample, on=ON)
    loop = time.monotonic() - started
    per_entity = loop / len(sample)
    extrapolated = per_entity * active

    dist = dict(EntityRisk.objects.values_list("risk_class").annotate(n=django.db.models.Count("pk")))
    print(f"分类分布：{', '.join(f'{c} {dist.get(c, 0):,}' for c in 'ABCD')}")
    print(f"全量重算（集合运算，首次写入 {first.written:,} 行、历史 {first.class_changed:,} 行）：{full:.1f} s "
          f"（{active / full:,.0f} 户/秒）")
    print(f"全量重算（无变化，写入 {again.written} 行）：{steady:.1f} s")
    print(f"逐户循环（样本 {len(sample):,} 户）：{loop:.1f} s，{per_entity * 1000:.1f} ms/户，"
          f"推算 {active:,} 户 {extrapolated:,.0f} s（{extrapolated / 3600:.1f} h）")
    print(f"倍数：集合运算比逐户循环快 {extrapolated / full:,.0f} 倍；目标 ≤ 60 s：{'达到' if full <= 60 else '未达到'}")


if __name__ == "__main__":
    main()
