"""Benchmark of the leader's dashboard and the key-work plan tree with live targets, each against a naive baseline.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_dashboard.py --entities 1000000

Builds the database (migrate; ``jianguan seed --entities N``; 2025 annual reports for ~88 % of the entities that
must file and the July listing, set-based as in ``bench_credit``; the risk classification; the demo organisation,
staff and the two demo plans), then times, for the city leader, through the Django test client (the whole request:
middleware, session, view, template):

1. the dashboard page, warm (panels read from their snapshots) — target ≤ 1 s; and cold (every panel and every
   metric computed in the request, which happens when a snapshot is older than ``dashboard.max_age_minutes`` and
   the sweep has not refreshed it) — the baseline, as a dashboard without its snapshots computes on every view;
2. the 2026 plan tree with its live targets, warm (readings from the metric cache) — target ≤ 500 ms; cold (every
   live target computed: the first view after ``workplan.metric_max_age_minutes``); and the naive tree — tasks,
   milestones and targets fetched one task at a time, each live target computed for itself with no cache, as a
   first version would — the baseline.

Each figure is the median of ``--repeat`` requests, printed with the load average (the machine is shared: the
ratio to the baseline measured in the same run is the figure to compare).
"""

from __future__ import annotations

import argparse
import datetime as dt
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

from _register import annual_reports  # noqa: E402  (bench/, on the path as the script's folder)
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from jianguan.dashboard.models import Snapshot  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402
from jianguan.workplan import metrics  # noqa: E402
from jianguan.workplan.models import MetricReading, Plan, Task  # noqa: E402

TODAY = dt.date(2026, 12, 4)


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"负载 {one:.2f}/{five:.2f}"


def prepare(n: int) -> None:
    call_command("migrate", verbosity=0)
    have = Entity.objects.count()
    if have < n:
        started = time.monotonic()
        call_command("seed", "--entities", str(n - have), "--today", "2026-08-01", verbosity=0)
        print(f"  生成主体 {n - have:,} 户：{time.monotonic() - started:.1f} s")
    annual_reports()
    from jianguan.credit.models import EntityRisk

    if not EntityRisk.objects.exists():
        from jianguan.credit import risk

        started = time.monotonic()
        risk.recompute(on=TODAY)
        print(f"  风险分类：{time.monotonic() - started:.1f} s")
    from jianguan.core.demo import demo_core
    from jianguan.workplan.demo import demo_workplan

    demo_core(today=TODAY, stdout=None)
    demo_workplan(today=TODAY, stdout=None)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE")


def timed(client: Client, url: str, repeat: int, before=None) -> tuple[float, int]:
    times, queries = [], 0
    for _ in range(repeat):
        if before:
            before()
        reset_queries()  # the request clears the log as it starts: a longer log left before would hide its queries
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            resp = client.get(url)
            times.append(time.perf_counter() - started)
        assert resp.status_code == 200, (url, resp.status_code)
        queries = len(q)
    return statistics.median(times), queries


def naive_tree(plan: Plan) -> int:
    """The plan tree as a first version would build it: per task its milestones and targets, each live target
    computed for itself (no cache), each unit and person fetched when shown."""
    scope = metrics.scope_of_unit(plan.unit)
    ctx = metrics.Context(scope, plan.year, TODAY)
    shown = 0
    for task in Task.objects.filter(plan=plan).order_by("area__seq", "seq"):
        _ = task.area.title, task.lead_unit.name, task.lead_person and task.lead_person.get_full_name()
        _ = [u.name for u in task.co_units.all()]
        _ = list(task.milestones.all())
        for target in task.targets.all():
            if target.metric:
                metrics.compute(target.metric, ctx)
            shown += 1
    return shown


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    print(f"数据库：{connection.vendor}")
    prepare(args.entities)
    active = Entity.objects.filter(status="active").count()
    print(f"市场主体 {Entity.objects.count():,} 户（在业 {active:,}）；{load()}")

    from django.contrib.auth import get_user_model

    leader = get_user_model().objects.get(username="leader")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(leader)
    plan = Plan.objects.get(code="PDS-2026")
    dash, tree = "/workbench/dashboard/", f"/workbench/workplan/{plan.code}/"

    def forget_all():
        Snapshot.objects.all().delete()
        MetricReading.objects.all().delete()

    cold, cold_q = timed(client, dash, max(2, args.repeat // 2), before=forget_all)
    print(f"驾驶舱（冷：全部面板和指标在请求中统计）：{cold * 1000:,.0f} ms，{cold_q} 次查询；{load()}")
    client.get(dash)
    warm, warm_q = timed(client, dash, args.repeat)
    print(f"驾驶舱（热：读快照）：{warm * 1000:,.1f} ms，{warm_q} 次查询；{load()}")
    print(f"  倍数：快照比每次现算快 {cold / warm:,.0f} 倍；目标 ≤ 1 s：{'达到' if warm <= 1 else '未达到'}")

    slowest = sorted(Snapshot.objects.filter(scope_key="all"), key=lambda s: -s.took_ms)
    print("  各面板统计用时：" + "，".join(f"{s.panel} {s.took_ms} ms" for s in slowest))

    def forget_readings():
        MetricReading.objects.all().delete()

    tree_cold, tree_cold_q = timed(client, tree, max(2, args.repeat // 2), before=forget_readings)
    print(f"计划树（冷：实时指标在请求中计算）：{tree_cold * 1000:,.0f} ms，{tree_cold_q} 次查询；{load()}")
    client.get(tree)
    tree_warm, tree_warm_q = timed(client, tree, args.repeat)
    print(f"计划树（热：读指标缓存）：{tree_warm * 1000:,.1f} ms，{tree_warm_q} 次查询；{load()}")
    runs = []
    for _ in range(max(2, args.repeat // 2)):
        with CaptureQueriesContext(connection) as q:
            started = time.perf_counter()
            naive_tree(plan)
            runs.append(time.perf_counter() - started)
    naive = statistics.median(runs)
    print(f"计划树（朴素：逐任务查询、逐指标现算，不含页面渲染）：{naive * 1000:,.0f} ms，{len(q)} 次查询；{load()}")
    print(f"  倍数：比朴素做法快 {naive / tree_warm:,.0f} 倍；目标 ≤ 500 ms：{'达到' if tree_warm <= 0.5 else '未达到'}")


if __name__ == "__main__":
    main()
