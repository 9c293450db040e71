"""Benchmark of the sampling draw: 100,000 producers, a quota in each of the ten counties.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_sampling.py --producers 100000

Builds the database (migrate; organisation and demo staff; ``--producers`` generated entities), a plan whose product
category takes every industry (so every entity is a candidate) with ``--quota`` samples per county, then times:

1. freezing the list (``services.plan_freeze``: the candidates of each county read, the manifest validated and its
   canonical form and commitment computed) and
2. the draw (``services.plan_draw``: ``inspections.draw.compute`` over the frozen manifest with the published
   commitment, the bundle stored, one sample per producer drawn written with one bulk insert) — target ≤ 2 s.

Baseline for the draw: the same tickets computed one candidate at a time in a Python loop, every county's list
sorted in full, and one ``Sample`` saved per producer drawn (the usual first cut). Both results are compared: the
baseline must draw the same producers. Load average printed beside each figure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
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

import datetime as dt  # noqa: E402

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.core.models import OrgUnit  # noqa: E402
from jianguan.registry import seeding  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402
from jianguan.sampling import services  # noqa: E402
from jianguan.sampling.models import Plan, ProductCategory, Sample, Standard, TestItem  # noqa: E402

TODAY = dt.date(2026, 12, 4)


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} {five:.2f} {fifteen:.2f}"


def backend_cpu() -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend (user + system, from /proc), or None when
    that cannot be read (SQLite, another host, no permission). With the process's own CPU time it gives a figure
    that a loaded machine inflates far less than wall time."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu() -> tuple[float, float | None]:
    return time.process_time(), backend_cpu()


def cpu_used(start: tuple[float, float | None]) -> tuple[float, float | None]:
    own, server = cpu()
    return own - start[0], (server - start[1]) if server is not None and start[1] is not None else None


def show_cpu(values: list[tuple[float, float | None]]) -> str:
    own = statistics.median(v[0] for v in values)
    servers = [v[1] for v in values if v[1] is not None]
    if not servers:
        return f"CPU 中位数：Python {own:.2f} 秒"
    server = statistics.median(servers)
    return f"CPU 中位数：Python {own:.2f} 秒 + PostgreSQL 后端 {server:.2f} 秒 = {own + server:.2f} 秒"


def build(n: int) -> None:
    from jianguan.core.demo import build_org, build_staff
    from jianguan.core.roles import sync_roles

    call_command("migrate", verbosity=0)
    sync_roles()
    if not get_user_model().objects.filter(username="zl_supervisor").exists():
        build_staff(build_org(), TODAY)
    have = Entity.objects.count()
    if have < n:
        t = time.monotonic()
        seeding.seed_entities(n - have, today=TODAY)
        print(f"  生成市场主体 {n - have:,} 户：{time.monotonic() - t:.1f} 秒  [{load()}]")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE registry_entity")


def new_plan(code: str, quota: int) -> Plan:
    cat, _ = ProductCategory.objects.get_or_create(code="BENCH", defaults={"name": "基准测试产品", "industries": []})
    std, created = Standard.objects.get_or_create(category=cat, code="GB/T 0-2026", defaults={"title": "基准"})
    if created:
        TestItem.objects.create(standard=std, name="项目", unit="%", max_value=1)
    actor = get_user_model().objects.get(username="zl_supervisor")
    quotas = {u.code: quota for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT)}
    return services.plan_create(actor=actor, sector="product", year=2026, code=code, title="基准", category=cat,
                                standard=std, unit=actor.profile.unit, quotas=quotas)


def naive_draw(plan: Plan, randomness: str) -> list[str]:
    manifest = json.loads(plan.manifest)
    seed = hashlib.sha256(f"{plan.commitment}:{randomness}".encode()).digest()
    chosen = []
    for stratum in manifest["strata"]:
        tickets = []
        for c in stratum["candidates"]:
            tickets.append((hashlib.sha256(seed + ("E:" + c["id"]).encode()).digest(), c["id"]))
        tickets.sort()
        chosen += [code for _t, code in tickets[:stratum["quota"]]]
    entities = {e.uscc: e for e in Entity.objects.filter(uscc__in=chosen)}
    with transaction.atomic():
        for i, code in enumerate(chosen):
            Sample.objects.create(plan=plan, entity=entities[code], unit_id=entities[code].unit_id,
                                  number=f"{plan.code}-N{i:05d}")
    return chosen


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--producers", type=int, default=100_000)
    parser.add_argument("--quota", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--profile", action="store_true", help="profile one more draw (cProfile, top 25 by own time)")
    args = parser.parse_args()
    print(f"数据库：{connection.vendor}  [{load()}]")
    build(args.producers)
    actor = get_user_model().objects.get(username="zl_supervisor")
    freeze, draws, naive, draw_cpu, naive_cpu = [], [], [], [], []
    stamp = int(time.time())
    for run in range(args.runs):
        plan = new_plan(f"BENCH-{stamp}-{run}", args.quota)
        t = time.perf_counter()
        services.plan_freeze(actor=actor, plan=plan, beacon="福利彩票3D 2026年第300期开奖号码")
        freeze.append(time.perf_counter() - t)
        randomness = f"{(run * 317 + 41) % 1000:03d}"
        c, t = cpu(), time.perf_counter()
        plan = services.plan_draw(actor=actor, plan=plan, randomness=randomness)
        draws.append(time.perf_counter() - t)
        draw_cpu.append(cpu_used(c))
        c, t = cpu(), time.perf_counter()
        chosen = naive_draw(plan, randomness)
        naive.append(time.perf_counter() - t)
        naive_cpu.append(cpu_used(c))
        drawn = sorted(plan.samples.filter(number__regex=r"-\d{4}$").values_list("entity__uscc", flat=True))
        assert sorted(chosen) == drawn, "基线与正式抽取结果不一致"
    candidates = sum(len(s["candidates"]) for s in json.loads(plan.manifest)["strata"])
    d, b = statistics.median(draws), statistics.median(naive)
    print(f"候选生产销售者 {candidates:,} 户，抽取 {len(chosen)} 户（每县区 {args.quota}）")
    print(f"1. 冻结名单并计算承诺值：中位数 {statistics.median(freeze):.2f} 秒  [{load()}]")
    print(f"2. 抽取（计算 + 保存结果包 + 生成样品）：中位数 {d:.2f} 秒（{', '.join(f'{x:.2f}' for x in draws)}）"
          f"  [{load()}]")
    print(f"   {show_cpu(draw_cpu)}")
    print(f"   基线（逐户计算签号、全排序、逐个保存样品）：中位数 {b:.2f} 秒  [{load()}]")
    print(f"   {show_cpu(naive_cpu)}")
    print(f"   倍数：{b / d:.1f}×（目标 ≤ 2 秒：{'达到' if d <= 2 else '未达到'}）")
    splice_figures(plan)
    if args.profile:
        profile_draw(actor, new_plan(f"BENCH-{stamp}-P", args.quota))


def splice_figures(plan: Plan) -> None:
    """The bundle's text for the last plan, the manifest encoded again (before) and spliced in as its stored canonical
    text (now), timed side by side; both must be the stored bundle."""
    from jianguan.inspections import draw

    stored = Plan.objects.values_list("manifest", "bundle").get(pk=plan.pk)
    bundle = draw.compute(json.loads(stored[0]), plan.randomness, published_commitment=plan.commitment)
    t = time.perf_counter()
    encoded = draw.dump_bundle(bundle)
    e = time.perf_counter() - t
    t = time.perf_counter()
    spliced = draw.dump_bundle(bundle, manifest_text=stored[0])
    p = time.perf_counter() - t
    assert encoded == spliced == stored[1], "结果包文本不一致"
    print(f"   结果包文本（{len(spliced) / 1e6:.1f} MB）：重新编码清单 {e * 1000:.0f} 毫秒，直接拼接规范文本 "
          f"{p * 1000:.0f} 毫秒  [{load()}]")


def profile_draw(actor, plan: Plan) -> None:
    import cProfile
    import pstats

    services.plan_freeze(actor=actor, plan=plan, beacon="福利彩票3D 2026年第300期开奖号码")
    profiler = cProfile.Profile()
    profiler.enable()
    services.plan_draw(actor=actor, plan=plan, randomness="777")
    profiler.disable()
    print(f"剖析（一次 plan_draw）  [{load()}]")
    pstats.Stats(profiler, stream=sys.stdout).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
