"""The July listing (``credit-annual-report-listing``) of the entities that did not file, against the naive baseline.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_july_listing.py --entities 100000
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_july_listing.py --entities 0   # a database already built

Builds the database (``bench/_register.prepare``: migrate, seed, demo staff; 2025 reports for ~88 % of those that
must file), then decides every non-filer twice, each time inside a transaction rolled back afterwards, so that both
start from the same state and number the same decisions:

- the job as it runs in the sweep (``credit.sweep.annual_report_listing``: plain values, rows written by COPY, each
  chunk's audit entries chained as they are written);
- the naive baseline — the same decisions through model objects, as the job was written first: each chunk's
  entities loaded with their units, a ``ListEntry``, ``Notice`` and audit entry object per decision, Django's
  ``bulk_create``.

Both must leave the same entries (entity, list, decision number, deciding bureau): checked, printed. Issue #23's
target is the whole daily sweep within 10 minutes at 10,000,000 entities, where two million do not file: the rate
printed is what to project from. The texts to the entities' phones are sent after the commit, so neither run sends
them (both roll back).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import io
import os
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from _register import annual_reports, prepare  # noqa: E402  (bench/, on the path as the script's folder)
from django.db import transaction  # noqa: E402
from django.db.models import Exists, OuterRef  # noqa: E402

from jianguan.core import audit, sequences  # noqa: E402
from jianguan.credit import periods, services, sweep  # noqa: E402
from jianguan.credit.models import EntryStatus, Ground, ListEntry, ListKind, Notice  # noqa: E402

DAY = dt.date(2026, 12, 7)  # a Monday: the 2025 reports were due by 30 June 2026


def naive(today: dt.date, chunk: int = sweep.LISTING_CHUNK) -> int:
    """The baseline: the same decisions, chunk by chunk, through model objects."""
    year = periods.closed_year(today)
    _start, end = periods.window(year)
    arose_on = end + dt.timedelta(days=1)
    deadline = services._listing_due(arose_on, Ground.REPORT_NOT_FILED)
    this_year = ListEntry.objects.filter(entity=OuterRef("pk"), ground=Ground.REPORT_NOT_FILED, report_year=year)
    still = ListEntry.objects.filter(entity=OuterRef("pk"), ground=Ground.REPORT_NOT_FILED,
                                     status__in=["proposed", "active"])
    pending = services.non_filers(year).filter(~Exists(this_year), ~Exists(still))
    ids = list(pending.order_by("id").values_list("id", flat=True))
    word = services.DOC_WORDS["abnormal"]
    for i in range(0, len(ids), chunk):
        with transaction.atomic():
            by_unit = defaultdict(list)
            for entity in pending.filter(pk__in=ids[i:i + chunk]).select_related(
                    "unit", "unit__parent", "registration_authority").order_by("id"):
                if services._list_kind_for(entity, Ground.REPORT_NOT_FILED, today) is not None:
                    by_unit[services.deciding_unit(entity).pk].append(entity)
            entries = []
            for group in by_unit.values():
                unit = services.deciding_unit(group[0])
                first = sequences.reserve_block(f"doc:{unit.code}:{word}:{today.year}", len(group))
                for n, entity in enumerate(group):
                    entries.append(ListEntry(
                        entity=entity, list_kind=services._list_kind_for(entity, Ground.REPORT_NOT_FILED, today),
                        ground=Ground.REPORT_NOT_FILED, status=EntryStatus.ACTIVE,
                        facts=f"未在{end:%Y年%m月%d日}前报送{year}年度报告", report_year=year, ground_arose_on=arose_on,
                        listing_due_on=deadline, deciding_unit=unit, listed_on=today,
                        decision_no=services.format_doc_no(unit, word, today.year, first + n)))
            entries = ListEntry.objects.bulk_create(entries)
            notices, audits = [], []
            for entry in entries:
                name = ListKind(entry.list_kind).label
                notices.append(Notice(
                    entity=entry.entity, kind=Notice.Kind.LISTED, title=f"列入{name}决定书", doc_no=entry.decision_no,
                    sent_on=today, is_public=True, list_entry=entry,
                    body=f"{entry.entity.name}（统一社会信用代码 {entry.entity.uscc}）：未在{end:%Y年%m月%d日}前报送"
                         f"{year}年度报告，{entry.deciding_unit.name}决定将你单位列入{name}（{entry.decision_no}）。"
                         "补报年度报告后即予移出。"))
                audits.append({"actor": sweep.ACTOR, "action": "credit.list.entered", "obj": entry,
                               "unit": entry.deciding_unit,
                               "changes": {"list_kind": [None, entry.list_kind], "ground": [None, entry.ground],
                                           "decision_no": [None, entry.decision_no], "report_year": [None, year],
                                           "listing_due_on": [None, deadline]}})
            audit.record_many(audits)
            Notice.objects.bulk_create(notices)
    return len(ids)


def decided() -> tuple[int, str]:
    """(how many, a digest of every decision: entity, list, number, deciding bureau — and its notice's number)."""
    rows = ListEntry.objects.filter(listed_on=DAY).order_by("entity_id").values_list(
        "entity_id", "list_kind", "decision_no", "deciding_unit_id", "notices__doc_no")
    digest = hashlib.sha256()
    count = 0
    for row in rows.iterator(chunk_size=20000):
        digest.update(repr(row).encode())
        count += 1
    return count, digest.hexdigest()[:16]


def timed(run) -> tuple[float, int, str]:
    with transaction.atomic():
        started = time.monotonic()
        run()
        took = time.monotonic() - started
        count, digest = decided()
        transaction.set_rollback(True)
    return took, count, digest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=100_000, help="seed up to this many (0: as it stands)")
    args = parser.parse_args()
    took = prepare(args.entities)
    if took is not None:
        print(f"  生成主体：{took:.1f} s")
    annual_reports()
    ours, n, ours_digest = timed(lambda: sweep.annual_report_listing(today=DAY, stdout=io.StringIO()))
    base, m, base_digest = timed(lambda: naive(DAY))
    one, five, _ = os.getloadavg()
    print(f"年报列异（负载 {one:.2f}/{five:.2f}）：{n:,} 项列入决定")
    print(f"  本作业：{ours:.1f} s（{n / ours:,.0f} 项/秒）")
    print(f"  朴素基线（模型对象、bulk_create）：{base:.1f} s（{m / base:,.0f} 项/秒）")
    print(f"  倍数：{base / ours:.2f} ×；结果{'相同 ✔' if (n, ours_digest) == (m, base_digest) else '不同 ✘'}"
          f"（{ours_digest} / {base_digest}）")
    if (n, ours_digest) != (m, base_digest):
        sys.exit(1)


if __name__ == "__main__":
    main()
