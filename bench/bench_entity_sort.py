"""Benchmark of the workbench entity list sorted on its main columns (#15), keyset-paged, against a numbered
paginator (COUNT + OFFSET) at the same depth.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_entity_sort.py --entities 400000

For each sort the list offers (名称 and 成立日期 both ways, 统一社会信用代码) and two personas (the city, whose
scope is everything, and the 新华区 bureau, whose scope is one district), the page that starts at row ``--depth``
is read the way the workbench reads it: ``entity_search`` then ``keyset_page(after=<id of the row before>,
sort=…)`` — the cursor's sort value read back by primary key, then ``(field, id) > (value, id)`` bounded by the
field's index, 51 rows. Baseline: Django's ``Paginator`` on the same ordered queryset (the COUNT of the whole
result, then ``OFFSET depth LIMIT 50``). Each figure is the median of ``--repeat`` runs after a warm-up. Target:
a sorted page at any depth as fast as the first page (≤ 50 ms).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402

from jianguan.registry import seeding, selectors  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

SORTS = ("name", "-name", "established_on", "-established_on", "uscc")


def personas():
    from jianguan.core.roles import sync_roles
    from jianguan.core.tests.factories import staff

    sync_roles()
    seeding.ensure_org()
    return {"市局": staff("bench_city", "410400", ["bureau_leader"], name="市局"),
            "新华区": staff("bench_xh", "410402", ["case_officer", "inspector"], name="新华区")}


def median_ms(fn, repeat: int) -> float:
    fn()  # warm
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def ordered(qs, sort: str):
    field, descending = selectors.ENTITY_SORTS[sort]
    return qs.order_by(f"-{field}", "-id") if descending else qs.order_by(field, "id")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--depth", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=9)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    users = personas()
    if Entity.objects.count() < args.entities:
        started = time.monotonic()
        call_command("seed", "--entities", str(args.entities), verbosity=0)
        print(f"[seed] {Entity.objects.count():,} 户：{time.monotonic() - started:.0f} s（不计入）")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_entity")
    print(f"数据库：{connection.vendor}；市场主体 {Entity.objects.count():,} 户；深度：第 {args.depth:,} 行起的一页；"
          f"负载 {os.getloadavg()[0]:.1f}")
    worst_keyset = worst_ratio_low = 0.0
    for label, user in users.items():
        base = selectors.entity_search(user).select_related("unit")
        units = selectors.search_units(user)  # as the view passes them: the district's units, None for the city
        # a page boundary, so the keyset page and the numbered page are the same 50 rows (checked below)
        depth = min(args.depth, base.count() - 60) // 50 * 50
        for sort in SORTS:
            cursor_id = ordered(base, sort).values_list("id", flat=True)[depth - 1]
            keyset_ids = [e.id for e in selectors.keyset_page(base, after=cursor_id, sort=sort, units=units).items][:50]
            offset_ids = [e.id for e in Paginator(ordered(base, sort), 50).page(depth // 50 + 1).object_list]
            if keyset_ids != offset_ids:
                raise SystemExit(f"[{label}] 按 {sort}：keyset 的一页与编号分页的同一页不同，倍数无意义")
            first = median_ms(lambda b=base, s=sort, u=units: list(selectors.keyset_page(b, sort=s, units=u).items),
                              args.repeat)
            deep = median_ms(lambda b=base, s=sort, c=cursor_id, u=units: list(
                selectors.keyset_page(b, after=c, sort=s, units=u).items), args.repeat)
            page_no = depth // 50 + 1

            def numbered(b=base, s=sort, n=page_no):
                page = Paginator(ordered(b, s), 50).page(n)
                return list(page.object_list), page.paginator.count

            naive = median_ms(numbered, args.repeat)
            worst_keyset = max(worst_keyset, deep, first)
            ratio = naive / deep
            worst_ratio_low = ratio if not worst_ratio_low else min(worst_ratio_low, ratio)
            print(f"[{label}] 按 {sort:<16} 第一页 {first:6.2f} ms；第 {depth:,} 行起 {deep:6.2f} ms（keyset）；"
                  f"Paginator（COUNT + OFFSET，第 {page_no} 页）{naive:8.2f} ms；倍数 {ratio:,.1f}×")
    print(f"[负载] 结束时 {os.getloadavg()[0]:.1f}（2 核）")
    print(f"[汇总] 排序后任一深度的一页最慢 {worst_keyset:.2f} ms；相对编号分页最少快 {worst_ratio_low:.1f}×；"
          f"目标 ≤ 50 ms：{'达到' if worst_keyset <= 50 else '未达到'}")


if __name__ == "__main__":
    main()
