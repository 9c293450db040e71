"""Benchmark of cold-chain tracing: trace one batch to every holder among 1,000,000 movements.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_coldchain.py --movements 1000000

Builds the database (migrate; organisation and demo staff; ``--entities`` generated entities; batches of ~50
movements each — COPY on PostgreSQL — plus one wide batch handed from the importer to 20 cold stores, 200
wholesalers and 1,800 shops), then times on the wide batch:

1. ``trace.holders`` (one recursive CTE over the batch's indexed movements) from a wholesaler (upstream, downstream
   and the rest of the batch) and from the importer (a recall) — median of 7.
2. ``services.trace_start`` for the recall: the CTE, the holdings, and the holders' tasks written (bulk inserts).
Baseline: ``trace.holders_naive`` (a breadth-first walk asking the database once per holder and direction).

Target (PostgreSQL): the trace ≤ 1 s. Each figure is printed with the load average of the moment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.coldchain import services, trace  # noqa: E402
from jianguan.coldchain.models import Batch, Incident, Movement  # noqa: E402
from jianguan.registry import seeding  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

TODAY = dt.date(2026, 12, 4)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} {five:.2f} {fifteen:.2f}"


def build(entities: int, movements: int) -> int:
    from jianguan.core.demo import build_org, build_staff

    call_command("migrate", verbosity=0)
    if not get_user_model().objects.filter(username="sp_supervisor").exists():
        build_staff(build_org(), TODAY)
    have = Entity.objects.count()
    if have < entities:
        seeding.seed_entities(entities - have, today=TODAY)
    firms = list(Entity.objects.order_by("id").values_list("id", "unit_id")[:entities])
    if Batch.objects.filter(tracing_code="BENCHWIDE").exists():
        return Batch.objects.get(tracing_code="BENCHWIDE").pk
    t = time.monotonic()
    rnd = random.Random(18)
    imp = firms[0]
    wide = Batch.objects.create(tracing_code="BENCHWIDE", product="冷冻去骨牛肉", origin_country="巴西", quantity=1_000_000,
                                importer_id=imp[0], unit_id=imp[1], customs_declaration="x", quarantine_certificate="x",
                                nucleic_acid_report="x", disinfection_certificate="x", entered_on=TODAY)
    rows = [(wide.pk, imp[0], "in", 1_000_000, None, imp[1])]
    pool = iter(firms[1:])

    def hand(batch_id, src, dst, q):
        rows.append((batch_id, src[0], "out", q, dst[0], src[1]))
        rows.append((batch_id, dst[0], "in", q, src[0], dst[1]))

    for _ in range(20):
        store = next(pool)
        hand(wide.pk, imp, store, 50_000)
        for _ in range(10):
            w = next(pool)
            hand(wide.pk, store, w, 5_000)
            for _ in range(9):
                hand(wide.pk, w, next(pool), 100)
    n_batches = max(1, (movements - len(rows)) // 49)
    Batch.objects.bulk_create([Batch(tracing_code=f"BENCH{n:07d}", product="冷冻猪肉", origin_country="西班牙",
                                     quantity=24000, importer_id=firms[n % 50][0], unit_id=firms[n % 50][1],
                                     customs_declaration="x", quarantine_certificate="x", nucleic_acid_report="x",
                                     disinfection_certificate="x", entered_on=TODAY) for n in range(n_batches)],
                              batch_size=5000)
    ids = list(Batch.objects.filter(tracing_code__startswith="BENCH").exclude(pk=wide.pk).values_list("id", flat=True))
    for bid in ids:
        imp = firms[rnd.randrange(50)]
        rows.append((bid, imp[0], "in", 24000, None, imp[1]))
        for _ in range(24):
            a, b = rnd.choice(firms), rnd.choice(firms)
            if a != b:
                hand(bid, a, b, 100)
            else:
                rows.append((bid, a[0], "in", 100, None, a[1]))
                rows.append((bid, a[0], "in", 100, None, a[1]))
        if len(rows) >= movements:
            break
    rows = rows[:max(movements, 4041)]
    table = Movement._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} (batch_id, holder_id, direction, quantity, counterparty_id, unit_id,"
                                 " moved_on, note, created_at) FROM STDIN") as copy:
                now = dt.datetime.now(dt.UTC)
                for r in rows:
                    copy.write_row((*r, TODAY, "", now))
        else:
            Movement.objects.bulk_create([Movement(batch_id=r[0], holder_id=r[1], direction=r[2], quantity=r[3],
                                                   counterparty_id=r[4], unit_id=r[5], moved_on=TODAY) for r in rows],
                                         batch_size=5000)
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute(f"ANALYZE {table}")
    print(f"  出入库记录 {Movement.objects.count():,} 条，批次 {Batch.objects.count():,} 个：{time.monotonic() - t:.1f} 秒")
    return wide.pk


def timed(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=3000)
    ap.add_argument("--movements", type=int, default=1_000_000)
    args = ap.parse_args()
    print(f"数据库 {connection.vendor}；{load()}")
    wide = build(args.entities, args.movements)
    importer = Batch.objects.get(pk=wide).importer_id
    wholesaler = (Movement.objects.filter(batch_id=wide, direction="in", counterparty__isnull=False)
                  .order_by("id").values_list("holder_id", flat=True)[1])
    for label, origin in (("从批发商追溯（上游、下游、同批次）", wholesaler), ("从进口商召回", importer)):
        n = len(trace.holders(wide, origin))
        cte = timed(lambda o=origin: trace.holders(wide, o))
        naive = timed(lambda o=origin: trace.holders_naive(wide, o), repeat=1)
        assert {x for x, _p, _h in trace.holders(wide, origin)} == trace.holders_naive(wide, origin)
        print(f"  {label}：持有单位 {n:,} 家；递归 CTE {cte * 1000:.1f} ms，逐户查询基线 {naive * 1000:.0f} ms，"
              f"倍数 {naive / cte:.0f}×；{load()}")
    actor = get_user_model().objects.get(username="sp_supervisor")
    Incident.objects.filter(batch_id=wide).delete()
    t = time.perf_counter()
    incident = services.trace_start(actor=actor, batch=Batch.objects.get(pk=wide), reason="recall",
                                    origin=Entity.objects.get(pk=importer), detected_on=TODAY)
    took = time.perf_counter() - t
    print(f"  启动召回追溯（含 {incident.holders.count():,} 家持有单位的处置任务写入）：{took * 1000:.0f} ms；{load()}")


if __name__ == "__main__":
    main()
