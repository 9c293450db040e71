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
