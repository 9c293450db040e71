"""Benchmark of the clock explanations (``deadline_explained``) that every list entry carries in the credit API.

    JIANGUAN_VAR_DIR=$(mktemp -d) .venv/bin/python bench/bench_clocks.py --entries 2000

Explains ``--entries`` abnormal-list entries (listing period, three-year term, removal clock: working days over
the 2026 holidays, anniversaries of the Civil Code art. 202) the way ``GET /api/v1/credit/lists`` does for each row,
and compares it with the naive way of reading the rules table from the database for every row (the rule cache
cleared before each one). Prints rows per second, the per-row cost, the ratio, and the load average.
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
os.environ.setdefault("JIANGUAN_DEBUG", "1")

import django  # noqa: E402

django.setup()

from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402

from jianguan.credit.clocks import deadline_explained  # noqa: E402
from jianguan.credit.models import EntryStatus, Ground, ListEntry, ListKind  # noqa: E402
from jianguan.credit.services import _listing_due, removal_due  # noqa: E402

GROUNDS = [Ground.REPORT_NOT_FILED, Ground.INSTANT_NOT_PUBLISHED, Ground.FALSE_INFORMATION, Ground.UNREACHABLE]


def entries(n: int) -> list[ListEntry]:
    out = []
    start = dt.date(2026, 1, 5)
    for i in range(n):
        arose = start + dt.timedelta(days=i % 300)
        ground = GROUNDS[i % 4]
        e = ListEntry(list_kind=ListKind.ABNORMAL, ground=ground, status=EntryStatus.ACTIVE, ground_arose_on=arose,
                      listing_due_on=_listing_due(arose, ground), listed_on=arose + dt.timedelta(days=3))
        if i % 3 == 0:  # a third have asked for removal
            e.removal_requested_on = arose + dt.timedelta(days=30)
            e.removal_requested_how = "application"
            e.removal_due_on = removal_due(e.removal_requested_on)
        out.append(e)
    return out


def run(rows: list[ListEntry], *, naive: bool) -> float:
    started = time.perf_counter()
    for e in rows:
        if naive:
            cache.clear()
        explanation = deadline_explained(e)
        explanation.as_dict()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=2000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    rows = entries(args.entries)
    run(rows[:50], naive=False)  # warm the calendar and the rules
    fast = run(rows, naive=False)
    naive_rows = rows[: max(args.entries // 10, 50)]
    slow = run(naive_rows, naive=True) * len(rows) / len(naive_rows)
    load = os.getloadavg()
    print(f"entries: {len(rows):,}  (load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f})")
    print(f"deadline_explained (rules cached): {fast:.3f} s  {len(rows) / fast:,.0f} rows/s  "
          f"{fast / len(rows) * 1e6:.0f} µs/row")
    print(f"naive (rules read per row), extrapolated from {len(naive_rows)}: {slow:.3f} s  "
          f"{slow / len(rows) * 1e6:.0f} µs/row")
    print(f"ratio naive / cached: {slow / fast:.1f}×")
    print(f"a 200-row API page spends {fast / len(rows) * 200 * 1000:.1f} ms explaining its rows")


if __name__ == "__main__":
    main()
