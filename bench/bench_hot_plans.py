"""The query plans of the register's hot queries, with their times, on the database as it stands (PostgreSQL).

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_hot_plans.py --entities 100000
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_hot_plans.py --entities 0   # a database already built

For ``docs/scale.md`` (#23): at 10,000,000 entities a plan that reads a district's rows, or a whole index, instead
of a page shows here as buffers and milliseconds. Each query is the one the application sends — built by the same
selectors (``entity_for``, ``entity_search``, ``keyset_page``'s first query, the stored public record) — and is run
``--repeat`` times; the figure is the median, then the plan of one more run under ``EXPLAIN (ANALYZE, BUFFERS)``.
Baseline: the same query with the index it should use disabled (``SET LOCAL enable_bitmapscan/indexscan = off`` as
fits), inside a transaction that is rolled back — the ratio says what the index is worth at this size.
"""

from __future__ import annotations

import argparse
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

from _register import prepare  # noqa: E402  (bench/, on the path as the script's folder)
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.registry import selectors  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402


def sql_of(qs) -> tuple[str, list]:
    sql, params = qs.query.sql_with_params()
    return sql, list(params)


def run(sql: str, params: list, repeat: int, settings: tuple[str, ...] = ()) -> tuple[float, list[str]]:
    """Median seconds of ``repeat`` runs, then the EXPLAIN (ANALYZE, BUFFERS) lines — in a rolled-back transaction
    with ``settings`` applied."""
    times = []
    plan: list[str] = []
    try:
        with transaction.atomic(), connection.cursor() as cur:
            for setting in settings:
                cur.execute(setting)
            for _ in range(repeat):
                started = time.perf_counter()
                cur.execute(sql, params)
                cur.fetchall()
                times.append(time.perf_counter() - started)
            cur.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
            plan = [row[0] for row in cur.fetchall()]
            raise _Rollback
    except _Rollback:
        pass
    return statistics.median(times), plan


class _Rollback(Exception):
    pass


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000, help="seed up to this many entities (0: as is)")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--plans", action="store_true", help="print each plan in full (default: the first 12 lines)")
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_hot_plans needs PostgreSQL (DATABASE_URL): the plans are PostgreSQL's")
    prepare(args.entities, analyze="registry_entity")
    users = get_user_model().objects
    city, district = users.get(username="leader"), users.get(username="xh_head")
    rng = random.Random(2026)
    top = Entity.objects.order_by("-id").values_list("id", flat=True).first()
    sample = Entity.objects.filter(id__in=[rng.randint(1, top) for _ in range(50)]).values_list("uscc", "name")
    code, name = next(iter(sample))
    core = name[:-4] if name.endswith("有限公司") else name
    fragment = core[len(core) // 2 - 1:len(core) // 2 + 2]  # 3 characters from the trade name's middle: rare
    common = name[3:6]  # past 平顶山: a place name, in a large share of the register

    cases = [
        ("按代码查找（市局）", sql_of(selectors.entities_for(city).filter(uscc=code)),
         ("SET LOCAL enable_indexscan = off", "SET LOCAL enable_bitmapscan = off")),
        (f"名称片段「{fragment}」第一页（市局）",
         sql_of(selectors.entity_search(city, q=fragment).order_by("id")[:51]), ("SET LOCAL enable_bitmapscan = off",)),
        (f"常见名称片段「{common}」第一页（市局）",
         sql_of(selectors.entity_search(city, q=common).order_by("id")[:51]), ("SET LOCAL enable_bitmapscan = off",)),
        (f"名称片段「{fragment}」第一页（新华区）",
         sql_of(selectors.entity_search(district, q=fragment).order_by("id")[:51]), ("SET LOCAL enable_bitmapscan = off",)),
        ("主体列表第一页，登记顺序（新华区）",
         sql_of(selectors.entity_search(district).order_by("id")[:51]), ("SET LOCAL enable_indexscan = off",)),
        ("主体列表第一页，按名称（市局）",
         sql_of(selectors.entity_search(city).order_by("name", "id")[:51]), ("SET LOCAL enable_indexscan = off",)),
        ("主体列表第一页，按名称（新华区，单个所的一段）",
         sql_of(selectors.entity_search(district, unit="41040201").order_by("name", "id")[:51]),
         ("SET LOCAL enable_indexscan = off",)),
        ("主体列表第一页，按成立日期倒序（市局）",
         sql_of(selectors.entity_search(city).order_by("-established_on", "-id")[:51]),
         ("SET LOCAL enable_indexscan = off",)),
    ]
    from jianguan.portal.models import PublicRecord

    if PublicRecord.objects.exists():
        cases.append(("公示信息（按代码）", sql_of(PublicRecord.objects.filter(uscc=code)),
                      ("SET LOCAL enable_indexscan = off", "SET LOCAL enable_bitmapscan = off")))
    print(f"PostgreSQL {connection.pg_version}；市场主体 {Entity.objects.count():,} 户；每条查询 {args.repeat} 次取中位数；"
          f"负载 {os.getloadavg()[0]:.2f}")
    for label, (sql, params), off in cases:
        median, plan = run(sql, params, args.repeat)
        base, _ = run(sql, params, 1, off)
        print(f"\n■ {label}：中位 {median * 1000:.2f} ms；关闭所用索引（{'; '.join(off)}）{base * 1000:,.1f} ms；"
              f"倍数 {base / median:,.0f}×")
        for line in plan if args.plans else plan[:12]:
            print("    " + line)


if __name__ == "__main__":
    main()
