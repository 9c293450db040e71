"""Benchmark of the verifiable draw (``inspections/draw.py``, spec ``jianguan-draw/1``).

    .venv/bin/python bench/bench_draw.py --sizes 1000000 10000000            # the engine alone, no database
    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_draw.py --sizes 0 --plan-pool 1000000

Part 1, the engine (pure Python, no Django): a manifest of N candidates in the four risk strata (A 50 %, B 35 %,
C 12 %, D 3 % of the pool, quotas ceil(1 % / 3 % / 10 % / 30 % × size)), ``--stations`` supervising units
(default one station per 10,000 candidates — a city of 1,000,000 has ~100 stations, a province of 10,000,000
~1,000 — as plans assign by station) and enough inspectors for every team (max_tasks 20, teams of
two, 15 % spare). The assignment hashes every (selected candidate, inspector of its unit) pair — the spec's §4 —
so its cost grows with the inspectors per unit: ``--stations 10`` (district bureaus, ~10× the inspectors per unit)
shows that shape. Times ``draw.compute`` (commitment, seed, selection, assignment) and ``draw.verify``
of the bundle it produced, against two baselines:

- ``random.sample`` of each stratum's quota over the pool (Python's own sampler; nothing committed, nothing
  verifiable, no assignment) — the naive baseline of the issue;
- with ``--order-by-random`` on PostgreSQL, ``ORDER BY random() LIMIT quota`` per stratum over a table of the pool.

Targets (issue 5): 1,000,000 candidates ≤ 2 s, 10,000,000 ≤ 30 s on the 2-core bench machine.

Part 1b, ``--command N``: the whole command a citizen or a bureau runs, ``jianguan draw compute MANIFEST --randomness R
--output BUNDLE`` on a manifest of N candidates (a new process: start-up, strict JSON reading, the draw, writing the
bundle), on the manifest as a plan publishes it (its canonical text) and on the same manifest in another key order.
In-process beside it, the command's reading and writing now against before: the strict reading (a duplicate-key
check in Python per JSON object) against the plain C reading plus one SHA-256 of the file (equal to the commitment:
the file is the canonical text, which has no duplicate key, and goes into the bundle as it is); the manifest encoded
again (compact, C encoder, streamed) and, older, ``json.dumps(bundle, indent=1)`` (the pure-Python encoder) against
the text put in as it is. Target (issue 16): the whole command ≤ 4 s for 1,000,000 candidates.

Part 2, ``--plan-pool N`` (PostgreSQL): N entities seeded with ``registry.seeding.seed_entities`` (skipped when the
database already holds them), a plan over the whole city, then timed from the pool to the published commitment:
``batch_create`` + ``batch_freeze`` (pool query, exclusions, inspector list, canonical manifest, commitment, plan
notice). Target: ≤ 30 s for 1,000,000 entities.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import math
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from jianguan.inspections import draw  # noqa: E402  (stdlib only: importing it needs no Django)

STRATA = (("A", 0.50, 0.01), ("B", 0.35, 0.03), ("C", 0.12, 0.10), ("D", 0.03, 0.30))
DISTRICTS = (2, 3, 4, 11, 21, 22, 23, 25, 81, 82)
TEAM_SIZE = 2
MAX_TASKS = 20
RANDOMNESS = "福彩3D 2026-12-01 第2026321期 开奖号码 4 1 5"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def _code(i: int) -> str:
    """A USCC-shaped ASCII id, unique per i (the engine never checks the check character)."""
    digits = []
    for _ in range(8):
        i, r = divmod(i, 31)
        digits.append(ALPHABET[r])
    return "91410402MA" + "".join(reversed(digits))


def units_for(stations: int) -> list[str]:
    """Supervising units: ``stations`` market supervision stations (所) spread over the ten districts; 1 station per
    district means the district bureaus themselves."""
    per = max(1, stations // len(DISTRICTS))
    return [f"4104{d:02d}{s:03d}" if per > 1 else f"4104{d:02d}" for d in DISTRICTS for s in range(1, per + 1)]


def build_manifest(n: int, *, seed: int = 2026, stations: int = 100) -> tuple[dict, dict[str, int]]:
    rng = random.Random(seed)
    UNITS = units_for(stations)
    strata, quotas, start = [], {}, 0
    for k, (name, share, ratio) in enumerate(STRATA):
        size = n - start if k == len(STRATA) - 1 else int(n * share)
        quotas[name] = math.ceil(ratio * size)
        strata.append(
            {
                "name": name,
                "quota": quotas[name],
                "candidates": [{"id": _code(i), "unit": UNITS[rng.randrange(len(UNITS))]} for i in range(start, start + size)],
            }
        )
        start += size
    selected = sum(quotas.values())
    per_unit = math.ceil(selected * TEAM_SIZE / MAX_TASKS / len(UNITS) * 1.15) + TEAM_SIZE
    inspectors = [{"id": f"{u}-{j:05d}", "unit": u} for u in UNITS for j in range(per_unit)]
    conflicts = [[inspectors[j]["id"], strata[0]["candidates"][j]["id"]] for j in range(min(100, len(strata[0]["candidates"])))]
    manifest = {
        "algorithm": "jianguan-draw/1",
        "plan": "410400-2026-900",
        "batch": "1",
        "beacon": "福彩3D 2026-12-01 开奖号码",
        "team_size": TEAM_SIZE,
        "max_tasks": MAX_TASKS,
        "strata": strata,
        "inspectors": inspectors,
        "conflicts": conflicts,
    }
    return manifest, quotas


def _timed(fn, *args, **kwargs):
    gc.collect()
    started = time.perf_counter()
    out = fn(*args, **kwargs)
    return time.perf_counter() - started, out


def bench_engine(n: int, *, repeat: int, workers: int | None, stations: int) -> dict:
    print(f"\n== 抽取引擎：{n:,} 个候选对象，{len(units_for(stations))} 个监管单位 ==")
    t_build, (manifest, quotas) = _timed(build_manifest, n, stations=stations)
    print(f"  构造清单 {t_build:.1f} s（不计入）；抽取 {sum(quotas.values()):,} 个，检查人员 {len(manifest['inspectors']):,} 名"
          f"（每单位约 {len(manifest['inspectors']) // len(units_for(stations)):,} 名）")
    runs = []
    for _ in range(repeat):
        t, bundle = _timed(draw.compute, manifest, RANDOMNESS, workers=workers)
        runs.append(t)
    t_compute = min(runs)
    assigned = sum(1 for s in bundle["selected"] if s["inspectors"])
    print(f"  draw.compute（承诺值+种子+抽取+分配）: {t_compute:.2f} s  （{len(runs)} 次取最快；分配 {assigned:,}，"
          f"未分配 {len(bundle['unassigned']):,}）")
    t_verify, problems = _timed(draw.verify, bundle, workers=workers)
    assert problems == [], problems[:3]
    print(f"  draw.verify（重算并逐项比对）: {t_verify:.2f} s")

    pools = [[c["id"] for c in s["candidates"]] for s in manifest["strata"]]
    rng = random.Random(RANDOMNESS)

    def naive():
        return [rng.sample(pool, quotas[s["name"]]) for pool, s in zip(pools, manifest["strata"])]

    t_naive = min(_timed(naive)[0] for _ in range(repeat))
    print(f"  基线 random.sample（每层按配额，无承诺、无分配、不可验证）: {t_naive:.3f} s")
    print(f"  比值 draw.compute / random.sample = {t_compute / t_naive:.1f}×")
    del bundle
    return {"n": n, "compute": t_compute, "verify": t_verify, "naive": t_naive, "manifest": manifest, "quotas": quotas}


def order_by_random(result: dict) -> None:
    """ORDER BY random() LIMIT quota per stratum over a table of the pool (PostgreSQL), the other naive baseline."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    manifest, quotas = result["manifest"], result["quotas"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP TABLE IF EXISTS bench_draw_pool")
        conn.execute("CREATE UNLOGGED TABLE bench_draw_pool (id text, unit text, stratum text)")
        with conn.cursor().copy("COPY bench_draw_pool (id, unit, stratum) FROM STDIN") as copy:
            for s in manifest["strata"]:
                for c in s["candidates"]:
                    copy.write_row((c["id"], c["unit"], s["name"]))
        conn.execute("ANALYZE bench_draw_pool")
        started = time.perf_counter()
        for name, quota in quotas.items():
            conn.execute(
                "SELECT id FROM bench_draw_pool WHERE stratum = %s ORDER BY random() LIMIT %s", (name, quota)
            ).fetchall()
        t = time.perf_counter() - started
        conn.execute("DROP TABLE bench_draw_pool")
    print(f"  基线 PostgreSQL ORDER BY random() LIMIT 配额（每层）: {t:.2f} s；比值 draw.compute / 它 = "
          f"{result['compute'] / t:.2f}×")


def bench_plan(n: int) -> None:
    """Pool of n entities on PostgreSQL → frozen manifest → published commitment."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    os.environ.setdefault("JIANGUAN_TESTING", "1")
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    print(f"\n== 计划：{n:,} 个主体的对象库 → 公示承诺值（{connection.vendor}）==")
    call_command("migrate", verbosity=0)
    from jianguan.core.roles import sync_roles

    sync_roles()  # the role groups and their permissions, as after a normal migrate
    from jianguan.core.models import OrgUnit, StaffProfile
    from jianguan.core.tests.factories import staff
    from jianguan.inspections import services
    from jianguan.inspections.models import AssignmentMode, InspectionItem, InspectionMethod
    from jianguan.registry.models import Entity
    from jianguan.registry.seeding import ensure_org, seed_entities

    on = dt.date(2026, 3, 2)
    have = Entity.objects.count()
    if have < n:
        started = time.monotonic()
        seed_entities(n - have, today=on, progress=lambda done, total: print(f"\r  生成主体 {done:,}/{total:,}", end=""))
        print(f"\n  生成主体 {n - have:,} 个：{time.monotonic() - started:.0f} s（不计入）")
    else:
        print(f"  已有 {have:,} 个主体，跳过生成")
    from jianguan.credit import risk
    from jianguan.credit.models import EntityRisk

    if not EntityRisk.objects.exists():  # the strata are the risk classes: classify once, as the daily sweep does
        started = time.monotonic()
        risk.recompute(on=on)
        print(f"  信用风险分类 {time.monotonic() - started:.0f} s（不计入）")
    ensure_org()
    User = get_user_model()
    city = OrgUnit.objects.get(code="410400")
    head = User.objects.filter(username="bench_draw_head").first() or staff(
        "bench_draw_head", "410400", ["department_head"], name="基准局长", staff_code="H-bench")
    # Inspectors with a valid credential in every unit (teams of two; stations whose entities outnumber what their
    # inspectors may take end up unassigned, as the spec says).
    if not StaffProfile.objects.filter(staff_code__startswith="B-").exists():
        for unit in OrgUnit.objects.filter(path__startswith=city.path):
            for j in range(20):
                staff(f"bench_{unit.code}_{j}", unit.code, ["inspector"], credential=True, name=f"检查员{j}",
                      staff_code=f"B-{unit.code}-{j:02d}")
    item = InspectionItem.objects.update_or_create(code="BENCH-1", defaults={
        "name": "企业公示信息抽查", "legal_basis": "《企业信息公示暂行条例》第十四条", "department": "信用监督管理科",
        "object_type": "企业", "method": InspectionMethod.ON_SITE, "checklist": ["年报信息真实", "住所可联系"]})[0]
    started = time.perf_counter()
    plan = services.plan_create(actor=head, unit=city, year=on.year, title="基准测试全市年度抽查计划",
                                items=[item], assignment=AssignmentMode.STATION)
    plan = services.plan_publish(actor=head, plan=plan)
    t_plan = time.perf_counter() - started
    started = time.perf_counter()
    batch = services.batch_create(actor=head, plan=plan, beacon="福彩3D 2026-03-10 开奖号码")
    batch = services.batch_freeze(actor=head, batch=batch, on=on)
    t_freeze = time.perf_counter() - started
    sizes = {s["name"]: (s["size"], s["quota"]) for s in batch.strata}
    print(f"  建计划 {t_plan:.2f} s；建批次并冻结清单、公示承诺值 {t_freeze:.2f} s（目标 ≤ 30 s）")
    print(f"  承诺值 {batch.commitment}；各层（规模, 配额）{sizes}")


def bench_command(n: int, *, stations: int) -> None:
    import json
    import subprocess
    import tempfile

    print(f"\n== jianguan draw compute：{n:,} 个候选对象（整条命令，新进程）==")
    manifest, _quotas = build_manifest(n, stations=stations)
    with tempfile.TemporaryDirectory(prefix="jianguan-draw-") as tmp:
        # The file a citizen downloads is the plan's canonical manifest (§1); "other" is the same manifest in another
        # key order, which the command reads strictly a second time and encodes again in the bundle.
        published, other = Path(tmp) / "manifest.json", Path(tmp) / "manifest-other.json"
        published.write_bytes(draw.canonical_manifest(manifest))
        other.write_text(json.dumps(manifest, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        for label, path in (("公示的规范 manifest", published), ("其他排版的 manifest", other)):
            out = Path(tmp) / "bundle.json"
            load = os.getloadavg()[0]
            started = time.perf_counter()
            cpu = os.times()
            subprocess.run([sys.executable, "-m", "jianguan", "draw", "compute", str(path), "--randomness", RANDOMNESS,
                            "--output", str(out)], check=True, cwd=ROOT, capture_output=True)
            whole = time.perf_counter() - started
            used = (os.times().children_user - cpu.children_user) + (os.times().children_system - cpu.children_system)
            print(f"  {label}：整条命令 {whole:.2f} s，CPU {used:.2f} s（负载 {load:.1f}→{os.getloadavg()[0]:.1f}；"
                  f"bundle {out.stat().st_size / 1e6:.0f} MB；目标 ≤ 4 s：{'达到' if whole <= 4 else '未达到'}）")
        bundle = draw.load_json(str(out))
        assert draw.verify(bundle) == [], "the bundle written does not verify"
        data = published.read_bytes()
        parsed = draw._parse(data, str(published), strict=False)
        bundle = draw.compute(parsed, RANDOMNESS)

        def read_now():
            return draw._parse(data, "manifest", strict=False), draw._canonical_text(data, bundle["commitment"])

        t_read_now, (_, text) = _timed(read_now)
        t_read_old, _ = _timed(draw._parse, data, "manifest")
        t_now, _ = _timed(draw.dump_bundle, bundle, manifest_text=text)
        t_compact, _ = _timed(draw.dump_bundle, bundle)
        t_old, _ = _timed(json.dumps, bundle, ensure_ascii=False, indent=1)
    print(f"  读 manifest：不逐对象查重复键 + 规范文本的哈希核对 {t_read_now:.2f} s，逐对象查重复键（之前）"
          f"{t_read_old:.2f} s，倍数 {t_read_old / t_read_now:.1f}×")
    print(f"  写 bundle：规范文本原样写入 {t_now:.2f} s，重新编码（紧凑流式，C 编码器）{t_compact:.2f} s，"
          f"最初的 indent=1（纯 Python 编码器）{t_old:.2f} s；倍数 {t_compact / t_now:.1f}× / {t_old / t_now:.1f}×")
    print(f"  读 + 写，本次之前 {t_read_old + t_compact:.2f} s → 现在 {t_read_now + t_now:.2f} s "
          f"（{(t_read_old + t_compact) / (t_read_now + t_now):.1f}×）")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1_000_000, 10_000_000],
                        help="candidate counts for the engine (0 to skip)")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--stations", type=int, default=0,
                        help="supervising units of the candidates (default: one station per 10,000 candidates, at "
                             "least 10; 10 = the district bureaus)")
    parser.add_argument("--workers", type=int, default=None, help="processes for the engine (default: all cores)")
    parser.add_argument("--order-by-random", action="store_true", help="also time ORDER BY random() (PostgreSQL)")
    parser.add_argument("--plan-pool", type=int, default=0, help="entities for the plan benchmark (PostgreSQL)")
    parser.add_argument("--command", type=int, default=0, help="candidates for the whole `jianguan draw compute`")
    args = parser.parse_args()
    print(f"Python {sys.version.split()[0]}，{os.cpu_count()} 核")
    for n in [s for s in args.sizes if s > 0]:
        stations = args.stations or max(10, n // 10_000)
        result = bench_engine(n, repeat=args.repeat, workers=args.workers, stations=stations)
        if args.order_by_random:
            order_by_random(result)
        del result
        gc.collect()
    if args.command:
        bench_command(args.command, stations=args.stations or max(10, args.command // 10_000))
    if args.plan_pool:
        bench_plan(args.plan_pool)


if __name__ == "__main__":
    main()
