"""Benchmark of advertising monitoring statistics: a year of observed ads by medium × category.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_monitoring.py --ads 100000

Builds the database (migrate; organisation and demo staff; ``--entities`` generated entities; ``--ads`` ads over one
year, every medium and category, about a third of them illegal, some handed over as leads), then times, median of 7:

1. ``selectors.ad_statistics`` as the statistics page and its Excel export call it for the city (two GROUP BY
   queries: medium × category with conditional counts, and violations by article).
Baseline: the naive way — read every ad of the year as a model instance and count in Python.

Each figure is printed with the load average of the moment.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from jianguan.monitoring import adlaw, selectors  # noqa: E402
from jianguan.monitoring.models import Ad, Medium, Review  # noqa: E402
from jianguan.registry import seeding  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

YEAR = 2026
TODAY = dt.date(YEAR, 12, 4)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} {five:.2f} {fifteen:.2f}"


def build(entities: int, ads: int) -> None:
    from jianguan.core.demo import build_org, build_staff

    call_command("migrate", verbosity=0)
    if not get_user_model().objects.filter(username="online_monitor").exists():
        build_staff(build_org(), TODAY)
    have = Entity.objects.count()
    if have < entities:
        seeding.seed_entities(entities - have, today=TODAY)
    if Ad.objects.filter(observed_on__year=YEAR).count() >= ads:
        return
    t = time.monotonic()
    firms = list(Entity.objects.order_by("id").values_list("id", "unit_id")[:entities])
    rnd = random.Random(21)
    categories = list(adlaw.CATEGORIES.values())
    mediums = list(Medium.values)
    rows = []
    for n in range(ads):
        cat = rnd.choice(categories)
        firm = rnd.choice(firms)
        illegal = rnd.random() < 0.3
        article = rnd.choice(cat.articles) if illegal else ""
        rows.append(Ad(medium=rnd.choice(mediums), outlet="平顶山电视台公共频道", advertiser_id=firm[0],
                       category=cat.code, product="某某商品", claim="宣称内容", observed_on=dt.date(YEAR, 1, 1)
                       + dt.timedelta(days=n % 365), review=Review.NOT_REQUIRED, article=article,
                       violation=illegal, unit_id=firm[1]))
    Ad.objects.bulk_create(rows, batch_size=5000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"ANALYZE {Ad._meta.db_table}")
    print(f"  广告监测记录 {Ad.objects.count():,} 条：{time.monotonic() - t:.1f} 秒")


def naive(qs, year: int) -> tuple[int, int]:
    cells, articles = Counter(), Counter()
    for ad in qs.filter(observed_on__year=year):
        cells[(ad.medium, ad.category, "ads")] += 1
        if ad.violation:
            cells[(ad.medium, ad.category, "violations")] += 1
            articles[ad.article] += 1
        if ad.lead_id:
            cells[(ad.medium, ad.category, "leads")] += 1
    return sum(v for k, v in cells.items() if k[2] == "ads"), sum(articles.values())


def timed(fn, repeat: int = 7) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--entities", type=int, default=2000)
    ap.add_argument("--ads", type=int, default=100_000)
    args = ap.parse_args()
    print(f"数据库 {connection.vendor}；{load()}")
    build(args.entities, args.ads)
    user = get_user_model().objects.get(username="online_monitor")
    qs = selectors.ads_for(user)
    stats = selectors.ad_statistics(qs, YEAR)
    expected = naive(qs, YEAR)
    assert (stats.total.ads, stats.total.violations) == expected, (stats.total, expected)
    fast = timed(lambda: selectors.ad_statistics(qs, YEAR))
    slow = timed(lambda: naive(qs, YEAR), repeat=3)
    print(f"  一年 {stats.total.ads:,} 条广告按媒介×类别统计（两次 GROUP BY）：{fast * 1000:.1f} 毫秒；{load()}")
    print(f"  基线：逐条读取模型实例在 Python 中计数：{slow * 1000:.1f} 毫秒；{load()}")
    print(f"  倍数：{slow / fast:.1f}×")


if __name__ == "__main__":
    main()
