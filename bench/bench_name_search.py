"""The entity list's name search, first page in registration order, over a sample of fragments (PostgreSQL).

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_name_search.py --entities 100000
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_name_search.py --entities 0   # a database already built

Issue #23's target is the name search's p95 ≤ 100 ms at 10,000,000 entities. Which fragments people type decides
the figure, so the sample mixes the three kinds the plans differ on (docs/scale.md):

- rare: three characters from the middle of a random entity's trade name;
- place: the three characters after 平顶山 in a random entity's name (市湛河, 市新华 …) — common in the city, and
  absent from every district but one (the case the planner misjudged: 4.3 s at 10,000,000);
- trade: words of the business that thousands of names share (便利店, 大药房 …): tens of thousands of matches.

Each fragment is searched as the city (``leader``) and as a district (``xh_head``), through the page the list view
reads (``keyset_page`` over ``entity_search``). Figures: the median of ``--repeat`` runs per search, then the p50,
p95 and slowest over the sample, for the two-step read (``searched=True``: the next ids walked first, then the
indexes) and for the baseline, the single query whose plan the planner picks (``searched=False``).
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
from django.db import connection  # noqa: E402

from jianguan.registry import selectors  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

TARGET_S = 0.100
TRADES = ["便利店", "大药房", "烩面馆", "建材店", "家电商", "种植专业合作社", "有限公司", "服装店", "运输部", "科技"]


def sample(rng: random.Random, n_rare: int, n_place: int) -> list[tuple[str, str]]:
    top = Entity.objects.order_by("-id").values_list("id", flat=True).first()
    names = list(Entity.objects.filter(id__in=[rng.randint(1, top) for _ in range(4 * (n_rare + n_place))])
                 .values_list("name", flat=True))
    rng.shuffle(names)
    rare, place = [], []
    for name in names:
        core = name[:-4] if name.endswith("有限公司") else name
        if len(rare) < n_rare and len(core) >= 6:
            rare.append(core[len(core) // 2 - 1:len(core) // 2 + 2])
        elif len(place) < n_place and name.startswith("平顶山市") and len(name) > 6:
            place.append(name[3:6])
    fragments = [("rare", f) for f in rare] + [("place", f) for f in dict.fromkeys(place)]
    return fragments + [("trade", f) for f in TRADES]


def timed(user, fragment: str, searched: bool, repeat: int) -> tuple[float, int]:
    runs, found = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        qs = selectors.entity_search(user, q=fragment).select_related("unit")
        page = selectors.keyset_page(qs, searched=searched)
        runs.append(time.perf_counter() - started)
        found = len(page.items)
    return statistics.median(runs), found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000, help="seed up to this many entities (0: as is)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rare", type=int, default=20)
    parser.add_argument("--place", type=int, default=10)
    args = parser.parse_args()
    if connection.vendor != "postgresql":
        raise SystemExit("bench_name_search needs PostgreSQL (DATABASE_URL): the two-step read is PostgreSQL's")
    prepare(args.entities, analyze="registry_entity")
    users = get_user_model().objects
    logins = [users.get(username="leader"), users.get(username="xh_head")]
    fragments = sample(random.Random(2026), args.rare, args.place)
    print(f"PostgreSQL {connection.pg_version}；市场主体 {Entity.objects.count():,} 户；{len(fragments)} 个片段 × "
          f"{len(logins)} 个登录；每次检索 {args.repeat} 次取中位数；负载 {os.getloadavg()[0]:.2f}；目标 p95 ≤ 100 ms")
    rows = []
    for kind, fragment in fragments:
        for user in logins:
            timed(user, fragment, True, 1)  # warm the pages this search touches, for both readings alike
            two_step, found = timed(user, fragment, True, args.repeat)
            one_query, found_one = timed(user, fragment, False, args.repeat)
            assert found == found_one, (fragment, user.username, found, found_one)
            rows.append((kind, fragment, user.username, found, two_step, one_query))

    def summary(values: list[float]) -> str:
        values = sorted(values)
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        return (f"p50 {statistics.median(values) * 1000:7.1f} ms  p95 {p95 * 1000:8.1f} ms  "
                f"最慢 {values[-1] * 1000:8.1f} ms"), p95

    print(f"\n{'种类':<6} {'片段':<10} {'登录':<8} {'第一页':>5} {'两步 ms':>9} {'单查询 ms':>10} {'倍数':>7}")
    for kind, fragment, username, found, two_step, one_query in sorted(rows, key=lambda r: -max(r[4], r[5]))[:15]:
        print(f"{kind:<6} {fragment:<10} {username:<8} {found:>5} {two_step * 1000:9.1f} {one_query * 1000:10.1f} "
              f"{one_query / two_step:6.1f}×")
    text_two, p95_two = summary([r[4] for r in rows])
    text_one, p95_one = summary([r[5] for r in rows])
    print(f"\n两步读取（先走 {selectors.SEARCH_WALK_IDS:,} 个编号，再用索引）：{text_two}")
    print(f"单条查询（规划器自选，基线）：           {text_one}")
    print(f"p95 倍数 {p95_one / p95_two:.1f}×；目标 p95 ≤ {TARGET_S * 1000:.0f} ms："
          f"{'达到' if p95_two <= TARGET_S else '未达到'}")
    for kind in ("rare", "place", "trade"):
        part = [r for r in rows if r[0] == kind]
        if part:
            print(f"  {kind:<6} 两步 {summary([r[4] for r in part])[0]}；单查询 {summary([r[5] for r in part])[0]}")


if __name__ == "__main__":
    main()
