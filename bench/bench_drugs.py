"""Benchmark of the drug focus list in the double-random draw: which candidates a drug plan raises.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_drugs.py --holders 20000 --products 5

Builds the database (migrate; organisation and demo staff; ``--entities`` generated entities, of which ``--holders``
hold ``--products`` focus-list products each — blood products, implants, children's cosmetics — some of them
already taken off the list; COPY on PostgreSQL), then times what the draw asks before freezing a drug plan's
manifest:

1. ``services.focus_raise(plan, on)``: one query for the holders listed on the day (``drugs_focus_period`` index),
   each mapped to rule ``drugs.focus_risk_class``.
2. Baseline (the naive way): for each candidate entity, ask whether it holds a listed product (one ``exists()``
   query per candidate), timed on ``--naive-sample`` candidates and scaled to all of them.
Both must agree on the sample (checked). Each figure is printed with the load average of the moment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
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
from django.db.models import Q  # noqa: E402

from jianguan.drugs import services  # noqa: E402
from jianguan.drugs.models import FocusProduct  # noqa: E402
from jianguan.registry import seeding  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

TODAY = dt.date(2026, 12, 4)
CATEGORIES = ("blood", "implant", "child_cosmetic")


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} {five:.2f} {fifteen:.2f}"


def build(entities: int, holders: int, products: int) -> list[int]:
    from jianguan.core.demo import build_org, build_staff

    call_command("migrate", verbosity=0)
    if not get_user_model().objects.filter(username="yp_supervisor").exists():
        build_staff(build_org(), TODAY)
    have = Entity.objects.count()
    if have < entities:
        t = time.monotonic()
        seeding.seed_entities(entities - have, today=TODAY)
        print(f"生成市场主体 {entities - have:,} 户：{time.monotonic() - t:.1f} s")
    firms = list(Entity.objects.order_by("id").values_list("id", "unit_id")[:entities])
    if FocusProduct.objects.exists():
        return [f[0] for f in firms]
    rnd = random.Random(18)
    chosen = rnd.sample(firms, min(holders, len(firms)))
    now = dt.datetime.now(dt.UTC)
    rows = []
    for n, (entity_id, unit_id) in enumerate(chosen):
        for k in range(products):
            listed = TODAY - dt.timedelta(days=rnd.randrange(30, 1500))
            until = listed + dt.timedelta(days=rnd.randrange(10, 400)) if rnd.random() < 0.3 else None
            rows.append((CATEGORIES[(n + k) % 3], f"重点品种{k}", f"国药准字S{n:07d}{k:02d}", entity_id, listed, until,
                         unit_id, now))
    t = time.monotonic()
    table = FocusProduct._meta.db_table
    with transaction.atomic(), connection.cursor() as cur:
        if connection.vendor == "postgresql":
            with cur.cursor.copy(f"COPY {table} (category, product, approval_no, holder_id, listed_on, until, unit_id,"
                                 " created_at) FROM STDIN") as copy:
                for r in rows:
                    copy.write_row(r)
            cur.execute(f"ANALYZE {table}")
        else:
            FocusProduct.objects.bulk_create(
                [FocusProduct(category=r[0], product=r[1], approval_no=r[2], holder_id=r[3], listed_on=r[4],
                              until=r[5], unit_id=r[6], created_at=r[7]) for r in rows], batch_size=5000)
    print(f"写入重点监管品种 {len(rows):,} 条（{len(chosen):,} 个经营/使用单位）：{time.monotonic() - t:.1f} s")
    return [f[0] for f in firms]


class DrugPlan:
    """What ``focus_raise`` reads of a plan: filtered on a drug licence kind."""

    pk = None
    filter_licence_kinds = ["drug_retail"]


def naive(entity_ids: list[int], on: dt.date) -> set[int]:
    listed = Q(listed_on__lte=on) & (Q(until__isnull=True) | Q(until__gte=on))
    return {e for e in entity_ids if FocusProduct.objects.filter(listed, holder_id=e).exists()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entities", type=int, default=100_000)
    ap.add_argument("--holders", type=int, default=20_000)
    ap.add_argument("--products", type=int, default=5)
    ap.add_argument("--naive-sample", type=int, default=5_000)
    args = ap.parse_args()
    print(f"数据库：{connection.vendor}；市场主体 {args.entities:,} 户，其中 {args.holders:,} 户各持有 {args.products} 个重点品种")
    ids = build(args.entities, args.holders, args.products)
    services.is_drug_plan = lambda plan: True  # the bench times the raise itself, not the plan's lookup
    times = []
    for _ in range(3):
        t = time.monotonic()
        raised = services.focus_raise(DrugPlan(), TODAY)
        times.append(time.monotonic() - t)
    best = min(times)
    print(f"focus_raise：{best * 1000:.1f} ms（三次最快），提高抽取层级 {len(raised):,} 户（{load()}）")
    sample = ids[: args.naive_sample]
    t = time.monotonic()
    found = naive(sample, TODAY)
    took = time.monotonic() - t
    scaled = took * len(ids) / len(sample)
    uscc = dict(Entity.objects.filter(pk__in=sample).values_list("pk", "uscc"))
    assert {uscc[e] for e in found} == set(raised) & set(uscc.values()), "naive and set-based disagree"
    print(f"逐户查询（基线）：{len(sample):,} 户 {took:.2f} s，推算全部 {len(ids):,} 户 {scaled:.1f} s（{load()}）")
    print(f"倍数：{scaled / best:.1f}×")


if __name__ == "__main__":
    main()
