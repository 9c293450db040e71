"""Every page of the workbench menu, as each kind of demo login meets it, timed on the database as it stands.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_workbench.py --entities 100000
    DATABASE_URL=postgres://… .venv/bin/python bench/bench_workbench.py --entities 0   # a database already built

The question of issue #23 is whether *every* list a person opens stays within 300 ms when the register is a
province's (10,000,000 entities), not only the lists that have their own benchmark. So this script does not
choose pages: it logs in (``force_login``) as one demo login per distinct (roles, unit level), reads that person's
menu (``navigation.menu_for``, what the sidebar shows), and requests the home page and every menu entry through the
Django test client — the whole request: middleware, session, scope, view, template. Each page is requested once
cold (the first request of the process for that page: caches empty) and then ``--repeat`` times; the median is the
figure, with the number of SQL queries.

Baseline: there is no naive version of "the whole menu"; the ratio printed is the target's (300 ms) to the
median, so a ratio below 1 is a page over target. The pages with their own baselines are in ``bench_entity_sort``
(the entity list's sorts and depths), ``bench_dashboard`` (the leader's dashboard and the plan tree),
``bench_enforcement`` and ``bench_complaints`` (their lists).

Before measuring, the database gets what the menu needs: migrations, ``--entities`` seeded entities if it has
fewer, the demo organisation and staff (``demo_core``; idempotent), and ANALYZE on PostgreSQL (``bench/_register.py``). The three
administrators are left out: they sign in with a second factor, and their pages (audit log, security policy) are
not lists of the register.
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

import _register  # noqa: E402  (bench/, on the path as the script's folder)
from django.contrib.auth import get_user_model  # noqa: E402
from django.db import OperationalError, connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from jianguan.core import navigation  # noqa: E402
from jianguan.core.demo import one_login_per_kind  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

TARGET_S = 0.300


def prepare(n: int) -> None:
    took = _register.prepare(n)
    if took is not None:
        print(f"  生成主体至 {n:,} 户：{took:.1f} s（不计入）")


class TimedOut(Exception):
    pass


def request(client: Client, url: str) -> tuple[float, int, int]:
    # The request clears the query log when it starts (request_started → reset_queries): a log left longer by the
    # previous request would make the context's slice empty, so it is cleared before the context reads its length.
    reset_queries()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        try:
            response = client.get(url)
        except OperationalError as exc:  # statement_timeout (--timeout): the page is over it
            if "statement timeout" not in str(exc):
                raise
            raise TimedOut from exc
        took = time.perf_counter() - started
    return took, len(queries), response.status_code


def time_cards(username: str, user, repeat: int) -> None:
    """Each home-card provider's median time for ``user`` (what the home page spends on it), slowest first."""
    from django.test import RequestFactory

    from jianguan.core import home

    request_ = RequestFactory().get("/workbench/")
    request_.user = user
    timed = []
    for provider in home.PROVIDERS:
        runs = []
        for _ in range(repeat + 1):
            reset_queries()
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                provider(request_)
                runs.append((time.perf_counter() - started, len(queries)))
        timed.append((statistics.median(t for t, _q in runs[1:] or runs), runs[0][0], runs[-1][1],
                      f"{provider.__module__}.{provider.__qualname__}"))
    for median, cold, queries, name in sorted(timed, reverse=True)[:6]:
        flag = "  ✘" if median > TARGET_S else ""
        print(f"  {username:<14} 首页卡片 {name:<52} 冷 {cold * 1000:8.1f} ms  中位 {median * 1000:8.1f} ms  "
              f"{queries:3d} 次查询{flag}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000, help="seed up to this many entities (0: as is)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default="", help="comma-separated logins (default: one per kind of login)")
    parser.add_argument("--pages", default="", help="comma-separated URL fragments: only the pages containing one "
                                                    "(a fragment ending in $ must be the whole URL: /workbench/$)")
    parser.add_argument("--cards", action="store_true",
                        help="also time each home-card provider (core.home) for each login: which card makes the "
                             "home page slow")
    parser.add_argument("--timeout", type=float, default=0,
                        help="PostgreSQL statement_timeout in seconds: a page whose query runs longer is reported as "
                             "over it and not repeated (0: none)")
    args = parser.parse_args()
    setup_test_environment()  # the test client's host (testserver) allowed; nothing else changes
    prepare(args.entities)
    if args.timeout and connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"SET statement_timeout = {int(args.timeout * 1000)}")
    one, five, _ = os.getloadavg()
    print(f"数据库 {connection.vendor}；市场主体 {Entity.objects.count():,} 户；负载 {one:.2f}/{five:.2f}；"
          f"每页冷启动 1 次 + 重复 {args.repeat} 次取中位数；目标 ≤ {TARGET_S * 1000:.0f} ms")
    users = get_user_model().objects
    wanted = {name for name in args.only.split(",") if name}
    rows, seen_urls = [], set()
    for spec in one_login_per_kind():
        if wanted and spec["username"] not in wanted:
            continue
        user = users.get(username=spec["username"])
        client = Client()
        client.force_login(user)
        urls = ["/workbench/"] + [entry["url"] for _section, entries in navigation.menu_for(user) for entry in entries]
        if args.pages:
            urls = [u for u in urls if any(u == f[:-1] if f.endswith("$") else f in u for f in args.pages.split(","))]
        if args.cards:
            time_cards(spec["username"], user, args.repeat)
        for url in dict.fromkeys(urls):
            try:
                cold, _q, status = request(client, url)
            except TimedOut:
                print(f"  {spec['username']:<14} {url:<44} 查询超过 {args.timeout:.0f} 秒（statement_timeout），未重复")
                rows.append((spec["username"], url, args.timeout, args.timeout, -1))
                continue
            if status != 200:
                print(f"  {spec['username']:<14} {url:<44} HTTP {status}（跳过）")
                continue
            warm = [request(client, url) for _ in range(args.repeat)]
            median = statistics.median(t for t, _q, _s in warm)
            rows.append((spec["username"], url, cold, median, warm[-1][1]))
            seen_urls.add(url)
        print(f"  {spec['username']}：{len(urls)} 个页面，已完成；负载 {os.getloadavg()[0]:.2f}", flush=True)
    rows.sort(key=lambda r: r[3], reverse=True)
    print(f"\n{'登录':<14} {'页面':<46} {'冷 ms':>8} {'中位 ms':>8} {'查询':>5} {'目标/中位':>9}")
    for username, url, cold, median, queries in rows:
        flag = "" if median <= TARGET_S else "  ✘ 超过目标" if queries >= 0 else "  ✘ 超时（≥ 所示秒数）"
        print(f"{username:<14} {url:<46} {cold * 1000:8.1f} {median * 1000:8.1f} {queries:5d} "
              f"{TARGET_S / median:8.1f}×{flag}")
    over = [r for r in rows if r[3] > TARGET_S]
    medians = sorted(r[3] for r in rows)
    p95 = medians[min(len(medians) - 1, int(0.95 * len(medians)))] if medians else 0.0
    print(f"\n共 {len(rows)} 次页面（{len(seen_urls)} 个不同页面，{len({r[0] for r in rows})} 个登录）；"
          f"中位数的中位 {statistics.median(medians) * 1000 if medians else 0:.1f} ms，p95 {p95 * 1000:.1f} ms，"
          f"最慢 {medians[-1] * 1000 if medians else 0:.1f} ms；超过 {TARGET_S * 1000:.0f} ms 的：{len(over)} 个"
          + ("" if not over else "（" + "，".join(f"{u} {p}" for u, p, *_ in over[:8]) + "）"))


if __name__ == "__main__":
    main()
