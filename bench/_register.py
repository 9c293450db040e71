"""What the register benchmarks run on a database as it stands (``--entities 0``) or seed it up to: migrations, the
entities, the demo organisation and staff (whom the benchmarks act as), and fresh planner statistics. Imported by
the benchmark scripts after their ``django.setup()``."""

from __future__ import annotations

import datetime as dt
import time

from django.core.management import call_command
from django.db import connection

from jianguan.core.demo import demo_core
from jianguan.registry.models import Entity

#: The demo organisation's day (staff, plans) and the seeded data's "today".
DEMO_DAY = dt.date(2026, 12, 4)
SEED_DAY = "2026-08-01"


def prepare(entities: int, *, analyze: str = "") -> float | None:
    """Migrate, seed up to ``entities`` entities, load the demo staff, ANALYZE (``analyze``: one table, or "" for
    the whole database) on PostgreSQL. Returns the seconds the seeding took, or None when nothing was seeded."""
    call_command("migrate", verbosity=0)
    have, took = Entity.objects.count(), None
    if have < entities:
        started = time.monotonic()
        call_command("seed", "--entities", str(entities - have), "--today", SEED_DAY, verbosity=0)
        took = time.monotonic() - started
    demo_core(today=DEMO_DAY, stdout=None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {analyze}".strip())
    return took


def annual_reports() -> None:
    """2025 reports for ~88 % of the entities that must file (1 in 50 late), in one INSERT … SELECT."""
    from jianguan.credit.models import AnnualReport

    if AnnualReport.objects.exists():
        return
    pg = connection.vendor == "postgresql"
    day = "DATE '2026-04-01'" if pg else "'2026-04-01'"
    now = "'2026-04-01 08:00:00+08'" if pg else "'2026-04-01 00:00:00'"
    with connection.cursor() as cur:
        # address and phone blank: they are ciphertext columns (#14), and a plaintext literal would not decrypt
        cur.execute(
            "INSERT INTO credit_annualreport (entity_id, year, version, is_current, filed_on, filed_at, late, "
            "address, postal_code, phone, email, operating_status, employees, total_assets, total_liabilities, "
            "revenue, profit, net_profit, tax, financials_all_zero, insured_employees, websites, investments, "
            "guarantees, public_employees, public_financials, public_guarantees) "
            f"SELECT e.id, 2025, 1, TRUE, {day}, {now}, e.id % 50 = 0, '', '467000', '', '', "
            "'开业', e.id % 30, 100, 0, 50, 0, 0, 0, FALSE, e.id % 10, '', '', '', TRUE, FALSE, FALSE "
            "FROM registry_entity e WHERE e.status = 'active' AND e.established_on < '2025-01-01' "
            "AND (e.id * 7919) % 100 < 88")
        print(f"  2025 年度年报 {cur.rowcount:,} 份")
