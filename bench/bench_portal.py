"""Benchmark of the public portal's open data: the record endpoint under load, name search, the bulk dump.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_portal.py --entities 1000000
    .venv/bin/python bench/bench_portal.py --db sqlite --entities 100000 --load-only

``--db sqlite`` runs on the embedded default instead (a SQLite file in var/bench-sqlite/, kept between runs so the
register is seeded once). It adds two figures to the load test: ``/healthz`` alone, and the same server as it was
configured before issue #16 (bench/portal_sqlite_before_wsgi.py: a new connection per request with its journal_mode
pragma, no preload) as the baseline of the SQLite settings.

Builds the database (migrate; ``registry.seeding.seed_entities``), then:

0. builds every stored public record in bulk (``portal.records.rebuild(everything=True)``, as
   ``jianguan publicrecords --all`` does after a register is loaded with COPY);
1. starts the production server (``jianguan serve``: gunicorn, DEBUG off) on 127.0.0.1 only and load-tests
   ``GET /api/v1/entities/{code}`` with 32 connections for a bounded time. The load comes from ``wrk`` (C, one
   thread, a Lua script drawing each request's code at random from 20,000 codes of the whole register), so that
   the load generator takes a sliver of the two cores instead of one of them (the asyncio client this bench used
   before is kept as a fallback where wrk is missing). The baseline runs the same way: the record built per
   request behind the full middleware (``bench/portal_naive_wsgi.py``), as the endpoint was before records were
   stored. ``--configs`` compares gunicorn settings. The per-IP rate limit is switched off for the run (rule
   ``portal.open_api_rate`` = "" in the bench database), since all the load comes from one address. The load
   average is printed with each figure: the machine is shared;
2. times name search ``GET /api/v1/entities?q=…`` for fragments drawn from real names (p50, p95), and a deep page
   (the 20,000th row of a common fragment) with the keyset cursor against OFFSET;
3. times the full bulk dump (``portal.opendata.dump``: every dataset, CSV + JSON Lines, gzip, SHA-256).

Baselines ("naive", each measured on a sample and extrapolated where the full run would take too long): the
record built per request (above), and in-process from ORM objects with lazy relations and the credit timeline,
``model_to_dict`` + ``json.dumps``; OFFSET pagination; a dump of ORM objects, one ``json.dumps`` per row,
uncompressed writes then gzip.

Targets: ≥ 1,000 req/s with p99 ≤ 50 ms; search p95 ≤ 100 ms; full dump of 1,000,000 entities ≤ 60 s.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
# --db sqlite must choose the database before Django reads its settings
SQLITE = "--db=sqlite" in sys.argv or any(a == "--db" and b == "sqlite" for a, b in zip(sys.argv, sys.argv[1:]))
if SQLITE:
    os.environ.pop("DATABASE_URL", None)
    os.environ["JIANGUAN_VAR_DIR"] = str(ROOT / "var" / "bench-sqlite")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402

from jianguan.registry.models import Entity  # noqa: E402

ON = dt.date(2026, 8, 3)


def seed(n: int) -> float:
    have = Entity.objects.count()
    if have >= n:
        return 0.0
    from jianguan.registry.seeding import seed_entities

    started = time.monotonic()
    seed_entities(n - have, today=ON, progress=lambda done, total: print(f"\r  主体 {done:,}/{total:,}", end=""))
    print()
    return time.monotonic() - started


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


# --- the server -----------------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def server_env() -> dict:
    env = dict(os.environ)
    env.pop("JIANGUAN_TESTING", None)
    env.pop("DJANGO_SETTINGS_MODULE", None)
    env.update(JIANGUAN_DEBUG="0", JIANGUAN_SECRET_KEY=secrets.token_urlsafe(60), JIANGUAN_SSL_REDIRECT="0",
               JIANGUAN_ALLOWED_HOSTS="127.0.0.1", JIANGUAN_LOG_LEVEL="WARNING")
    from jianguan.core import crypto

    env.update(crypto.environment())  # the personal data was encrypted by this process: the server needs its keys
    env.setdefault("JIANGUAN_ALLOW_PROCESS_CACHE", "1")  # a bench on loopback: per-process rate limits are fine
    return env


def serve_argv(port: int, config: dict) -> list[str]:
    """``jianguan serve`` with a gunicorn configuration ({"workers", "threads", "keepalive"}; 0 = its default)."""
    argv = [sys.executable, "-m", "jianguan", "serve", "--bind", f"127.0.0.1:{port}", "--no-collectstatic"]
    for option in ("workers", "threads", "keepalive"):
        if config.get(option):
            argv += [f"--{option.replace('keepalive', 'keep-alive')}", str(config[option])]
    return argv


def naive_argv(port: int, workers: int) -> list[str]:
    """The baseline server: the record built per request, full middleware (bench/portal_naive_wsgi.py)."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    return [gunicorn, "--pythonpath", str(ROOT / "bench"), "portal_naive_wsgi:application", "--bind",
            f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "-"]


def before_argv(port: int, workers: int) -> list[str]:
    """The SQLite baseline: the settings before issue #16 (bench/portal_sqlite_before_wsgi.py), same gunicorn."""
    gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
    return [gunicorn, "--pythonpath", str(ROOT / "bench"), "portal_sqlite_before_wsgi:application", "--bind",
            f"127.0.0.1:{port}", "--workers", str(workers), "--access-logfile", "-"]


def start_server(port: int, argv: list[str]) -> subprocess.Popen:
    proc = subprocess.Popen(argv, cwd=ROOT, env=server_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.5)
        if proc.poll() is not None:
            raise SystemExit("gunicorn exited: " + proc.stderr.read().decode()[-2000:])
    stop_server(proc)
    raise SystemExit("gunicorn did not answer /healthz within 60 s")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)  # the session gunicorn leads (started above), nothing else
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


# --- the load generator ---------------------------------------------------------------------------------------------


async def _one(port: int, path: str) -> tuple[int, float]:
    started = time.perf_counter()
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    elapsed = time.perf_counter() - started
    status = int(data[9:12]) if data[:5] == b"HTTP/" else 0
    return status, elapsed


async def _load(port: int, paths: list[str], concurrency: int, seconds: float, max_requests: int):
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    stop_at = time.perf_counter() + seconds
    counter = iter(range(max_requests))

    async def worker():
        for i in counter:
            if time.perf_counter() >= stop_at:
                return
            try:
                status, elapsed = await _one(port, paths[i % len(paths)])
            except OSError:
                status, elapsed = -1, 0.0
            statuses[status] = statuses.get(status, 0) + 1
            if status == 200:
                latencies.append(elapsed)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, statuses, time.perf_counter() - started


def load_test(port: int, paths: list[str], *, concurrency: int, seconds: float, max_requests: int) -> dict:
    latencies, statuses, wall = asyncio.run(_load(port, paths, concurrency, seconds, max_requests))
    ok = statuses.get(200, 0)
    return {"requests": sum(statuses.values()), "ok": ok, "statuses": statuses, "seconds": wall,
            "rps": ok / wall if wall else 0.0,
            "p50_ms": pct(latencies, 50) * 1000 if latencies else float("nan"),
            "p99_ms": pct(latencies, 99) * 1000 if latencies else float("nan")}


WRK = shutil.which("wrk")
WRK_SCRIPT = ROOT / "bench" / "wrk_random_paths.lua"


def wrk_test(port: int, paths_file: Path, *, concurrency: int, seconds: float) -> dict:
    """One wrk run (one thread, ``concurrency`` connections): its summary line, with requests/s."""
    out = subprocess.run([WRK, "-t1", f"-c{concurrency}", f"-d{max(1, round(seconds))}s", "--timeout", "10s",
                          "-s", str(WRK_SCRIPT), f"http://127.0.0.1:{port}", "--", str(paths_file)],
                         capture_output=True, text=True, check=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    ok = result["requests"] - result["non2xx"]
    result.update(ok=ok, rps=ok / result["seconds"], statuses={"non-2xx": result["non2xx"],
                                                              "socket errors": result["socket_errors"]})
    return result


def measure(port: int, paths: list[str], paths_file: Path, *, concurrency: int, seconds: float) -> dict:
    """Warm up 3 s, then load for ``seconds``; with the load average before and after."""
    before = os.getloadavg()[0]
    if WRK:
        wrk_test(port, paths_file, concurrency=concurrency, seconds=3)
        result = wrk_test(port, paths_file, concurrency=concurrency, seconds=seconds)
        result["client"] = "wrk"
    else:
        load_test(port, paths[:500], concurrency=concurrency, seconds=3, max_requests=2_000)
        result = load_test(port, paths, concurrency=concurrency, seconds=seconds, max_requests=1_000_000)
        result["client"] = "asyncio (wrk not found)"
    result["load"] = (before, os.getloadavg()[0])
    return result


def describe(result: dict) -> str:
    return (f"{result['rps']:,.0f} 请求/秒，p50 {result['p50_ms']:.1f} ms，p99 {result['p99_ms']:.1f} ms "
            f"（{result['ok']:,} 个 200；其他 {result['statuses']}；负载 {result['load'][0]:.1f}→{result['load'][1]:.1f}，"
            f"{result['client']}）")


def parse_configs(text: str) -> list[dict]:
    """``sync:5,gthread:3x2:ka5`` → gunicorn configurations; ``default`` = jianguan serve's own defaults."""
    configs = []
    for item in filter(None, (t.strip() for t in text.split(","))):
        parts = item.split(":")
        config = {"label": item, "workers": 0, "threads": 0, "keepalive": 0}
        if parts[0] == "sync":
            config.update(workers=int(parts[1]) if len(parts) > 1 else 0, threads=1)
        elif parts[0] == "gthread":
            w, t = (parts[1].split("x") + ["2"])[:2]
            config.update(workers=int(w), threads=int(t))
        elif parts[0] != "default":
            raise SystemExit(f"--configs: {item!r}? (default, sync:N, gthread:NxT[:kaS])")
        for extra in parts[2:]:
            if extra.startswith("ka"):
                config["keepalive"] = int(extra[2:])
        configs.append(config)
    return configs


def get(port: int, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
        body = r.read()
    return time.perf_counter() - started, body


def name_search(port: int, sample_ids: list[int], rng: random.Random, searches: int) -> dict:
    names = list(Entity.objects.filter(id__in=sample_ids[:2000]).values_list("name", flat=True))
    fragments = []
    for name in names[:searches]:
        n = rng.choice((2, 3, 4))
        start = rng.randrange(0, max(1, len(name) - n))
        fragments.append(name[start:start + n])
    times = [get(port, "/api/v1/entities?" + urllib.parse.urlencode({"q": frag, "limit": 50}))[0]
             for frag in fragments]
    return {"n": len(fragments), "p50": pct(times, 50) * 1000, "p95": pct(times, 95) * 1000}


# --- naive versions -------------------------------------------------------------------------------------------------


def naive_record(code: str) -> bytes:
    """What one writes first: the ORM object, lazy relations, the whole credit timeline, model_to_dict, json.dumps."""
    from django.forms.models import model_to_dict

    from jianguan.credit.timeline import events_for

    e = Entity.objects.get(uscc=code)
    data = {k: v for k, v in model_to_dict(e).items() if k not in ("legal_rep_id_no", "phone", "uscc_problem")}
    data["division_name"] = e.division.name
    data["industry_name"] = e.industry.name
    data["registration_authority"] = e.registration_authority.name
    data["licences"] = [dict(model_to_dict(lic), kind=lic.kind.name) for lic in e.licences.all()]
    data["annual_reports"] = [{"year": r.year, "filed_on": r.filed_on} for r in e.annual_reports.all()]
    data["lists"] = [{"kind": x.list_kind, "unit": x.deciding_unit.name} for x in e.list_entries.all()]
    data["tasks"] = [{"plan": t.batch.plan.code, "results": [r.category for r in t.results.all()]}
                     for t in e.inspection_tasks.all()]
    data["events"] = [ev.__dict__ for ev in events_for(e, None)]
    return json.dumps(data, default=str, ensure_ascii=False).encode()


def built_record(code: str) -> bytes:
    from jianguan.portal import public, records

    return records.render(public.record(public.get_public_entity(code)))


def stored_record(code: str) -> bytes:
    from jianguan.portal import records

    return records.get(code)[0]


def time_each(fn, codes: list[str]) -> float:
    started = time.perf_counter()
    for code in codes:
        fn(code)
    return (time.perf_counter() - started) / len(codes)


def naive_dump(sample: int, directory: Path) -> float:
    """ORM object per row, json.dumps per row, plain file then gzip: seconds for ``sample`` rows."""
    import gzip
    import shutil

    from django.forms.models import model_to_dict

    started = time.perf_counter()
    plain = directory / "naive.jsonl"
    with plain.open("w", encoding="utf-8") as fh:
        for e in Entity.objects.order_by("id")[:sample]:
            row = model_to_dict(e)
            row["division_name"] = e.division.name
            fh.write(json.dumps(row, default=str, ensure_ascii=False) + "\n")
    with plain.open("rb") as src, gzip.open(directory / "naive.jsonl.gz", "wb") as dst:
        shutil.copyfileobj(src, dst)
    return time.perf_counter() - started


# --- main -----------------------------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--seconds", type=float, default=30.0, help="duration of the load test")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--configs", default="default",
                        help="gunicorn settings to compare, e.g. default,sync:3,sync:5,gthread:3x2:ka5 "
                             "(default: jianguan serve's own)")
    parser.add_argument("--no-naive", action="store_true", help="skip the baseline server (record built per request)")
    parser.add_argument("--skip-rebuild", action="store_true", help="keep the stored records as they are")
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--db", choices=("env", "sqlite"), default="env",
                        help="env: DATABASE_URL (PostgreSQL under jianguan.testing.postgres); sqlite: the embedded default")
    parser.add_argument("--load-only", action="store_true", help="only the load test (section 1), not search and dump")
    parser.add_argument("--skip-dump", action="store_true", help="sections 1 and 2, not the bulk dump")
    args = parser.parse_args()
    print(f"数据库 {connection.vendor}，CPU {os.cpu_count()} 核（共享机器，数据可能偏低）")

    call_command("migrate", interactive=False, verbosity=0)
    took = seed(args.entities)
    total = Entity.objects.count()
    print(f"主体 {total:,}（生成 {took:.0f} 秒）")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute("ANALYZE")

    from jianguan.core.models import RuleValue

    RuleValue.objects.update_or_create(key="portal.open_api_rate", effective_from=dt.date(2000, 1, 1),
                                       defaults={"value": "", "note": "bench_portal: 负载测试来自同一 IP"})

    rng = random.Random(2026)
    ids = Entity.objects.order_by("id").values_list("id", flat=True)
    top = ids.last()
    sample_ids = sorted(rng.sample(range(1, top + 1), min(20_000, total)))
    codes = list(Entity.objects.filter(id__in=sample_ids).values_list("uscc", flat=True))
    rng.shuffle(codes)

    # --- 0. every stored record, in bulk ---
    from jianguan.portal import records
    from jianguan.portal.models import PublicRecord

    if not args.skip_rebuild:
        built = records.rebuild(everything=True)
        print(f"\n0. 公示信息批量生成（jianguan publicrecords --all）：{built['built']:,} 条 {built['seconds']:.0f} 秒"
              f"（{built['built'] / max(built['seconds'], 0.1):,.0f} 条/秒；负载 {os.getloadavg()[0]:.1f}）")
    if connection.vendor == "postgresql":
        with connection.cursor() as c:
            c.execute(f"ANALYZE {PublicRecord._meta.db_table}")

    # --- 1. the record under load ---
    paths = [f"/api/v1/entities/{c}" for c in codes]
    paths_file = Path(tempfile.mkdtemp(prefix="jianguan-bench-")) / "paths.txt"
    paths_file.write_text("\n".join(paths) + "\n")
    configs = parse_configs(args.configs)
    port = free_port()
    print(f"\n1. GET /api/v1/entities/{{code}}：{args.concurrency} 个连接，每次 {args.seconds:.0f} 秒"
          f"（预热 3 秒），{len(codes):,} 个随机代码")
    first = None
    for config in configs:
        server = start_server(port, serve_argv(port, config))
        try:
            result = measure(port, paths, paths_file, concurrency=args.concurrency, seconds=args.seconds)
            first = first or result
            met = "达到" if result["rps"] >= 1000 and result["p99_ms"] <= 50 else "未达到"
            print(f"   jianguan serve [{config['label']}]：{describe(result)}；目标 ≥ 1,000 请求/秒、p99 ≤ 50 ms：{met}")
            if config is configs[0] and not args.load_only:
                search = name_search(port, sample_ids, rng, args.searches)
        finally:
            stop_server(server)
    # the baselines run as `jianguan serve` did before #16: 2×CPU+1 sync workers
    workers = 2 * (os.cpu_count() or 1) + 1
    if SQLITE:
        health_file = paths_file.with_name("healthz.txt")
        health_file.write_text("/healthz\n")
        figures = {}
        for label, argv in (("jianguan serve", serve_argv(port, configs[0])),
                            ("#16 之前的 SQLite 设置", before_argv(port, workers))):
            server = start_server(port, argv)
            try:
                if label != "jianguan serve":
                    figures[label, "record"] = measure(port, paths, paths_file, concurrency=args.concurrency,
                                                       seconds=args.seconds)
                figures[label, "healthz"] = measure(port, ["/healthz"], health_file, concurrency=args.concurrency,
                                                    seconds=args.seconds)
            finally:
                stop_server(server)
        before, health, health_before = (figures["#16 之前的 SQLite 设置", "record"], figures["jianguan serve", "healthz"],
                                         figures["#16 之前的 SQLite 设置", "healthz"])
        print(f"   #16 之前的 SQLite 设置（每次请求新连接并执行 journal_mode 等 PRAGMA，无预加载，{workers} 个同步工作进程）："
              f"{describe(before)}")
        print(f"   倍数（对 #16 之前）：吞吐量 {first['rps'] / max(before['rps'], 0.001):.1f}×，"
              f"p99 {before['p99_ms'] / max(first['p99_ms'], 0.001):.1f}× 更低")
        met = "达到" if health["rps"] >= 2000 else "未达到"
        print(f"   GET /healthz：jianguan serve {describe(health)}；目标 ≥ 2,000 请求/秒：{met}")
        print(f"   GET /healthz：#16 之前 {describe(health_before)}；倍数 {health['rps'] / max(health_before['rps'], 0.001):.1f}×")
    if not args.no_naive:
        server = start_server(port, naive_argv(port, workers))
        try:
            naive = measure(port, paths, paths_file, concurrency=args.concurrency, seconds=args.seconds)
        finally:
            stop_server(server)
        print(f"   朴素实现（每次请求现场生成记录、完整中间件，{workers} 个同步工作进程）：{describe(naive)}")
        print(f"   倍数（吞吐量）{first['rps'] / max(naive['rps'], 0.001):.1f}×，"
              f"p99 {naive['p99_ms'] / max(first['p99_ms'], 0.001):.1f}× 更低")

    if args.load_only:
        return
    # --- 2. name search (with the first configuration's server) ---
    print(f"\n2. 名称检索 GET /api/v1/entities?q=…（{search['n']} 个取自真实名称的 2–4 字片段，串行）")
    print(f"   p50 {search['p50']:.1f} ms，p95 {search['p95']:.1f} ms；目标 p95 ≤ 100 ms："
          f"{'达到' if search['p95'] <= 100 else '未达到'}")

    # deep pages: keyset against OFFSET (in-process, same query)
    from jianguan.portal import public

    common = "平顶山"
    qs = public.search(q=common)
    depth = min(20_000, max(1, total // 2))
    after = qs.values_list("id", flat=True)[depth - 1:depth].first() or 0
    t0 = time.perf_counter()
    for _ in range(5):
        public.keyset_page(qs, after=after, limit=50, values=public.SUMMARY_VALUES, searched=True)
    keyset = (time.perf_counter() - t0) / 5
    t0 = time.perf_counter()
    for _ in range(5):
        list(qs.values(*public.SUMMARY_VALUES)[depth:depth + 50])
        qs.count()  # a numbered paginator counts too
    offset = (time.perf_counter() - t0) / 5
    print(f"   第 {depth:,} 行处翻页：游标 {keyset * 1000:.1f} ms，OFFSET+COUNT {offset * 1000:.1f} ms，"
          f"倍数 {offset / keyset:.1f}×")

    # record: stored against built against naive, in-process
    sample = codes[:300]
    for fn in (stored_record, built_record, naive_record):
        fn(sample[0])
    t_stored, t_built, t_naive = (time_each(fn, sample) for fn in (stored_record, built_record, naive_record))
    print(f"   单个主体记录（进程内、串行）：读已存储 {t_stored * 1000:.2f} ms，现场生成 {t_built * 1000:.2f} ms，"
          f"朴素实现 {t_naive * 1000:.2f} ms；倍数 {t_naive / t_stored:.1f}×（对朴素）、{t_built / t_stored:.1f}×（对现场生成）")

    if args.skip_dump:
        return
    # --- 3. the bulk dump ---
    from jianguan.portal import opendata

    with tempfile.TemporaryDirectory(prefix="jianguan-bench-dump-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        manifest = opendata.dump(today=ON, directory=tmp / "current")
        full = time.perf_counter() - t0
        ent = next(d for d in manifest["datasets"] if d["name"] == "entities")
        sizes = ", ".join(f"{f['name']} {f['bytes'] / 1e6:.0f} MB" for f in ent["files"])
        print(f"\n3. 全量数据包：{full:.1f} 秒（主体 {ent['rows']:,} 行 {ent['seconds']} 秒；{sizes}）")
        # the targets: ≤ 60 s for a city's 1,000,000 entities (#8), ≤ 10 min for a province's 10,000,000 (#23)
        target = 60 if total <= 1_000_000 else 600
        print(f"   目标 {total:,} 主体 ≤ {target} 秒：{'达到' if full <= target else '未达到'}")
        n = min(20_000, total)
        naive = naive_dump(n, tmp) * total / n
        print(f"   朴素实现（每行 ORM 对象 + json.dumps，仅 JSON Lines，按 {n:,} 行外推）：{naive:.0f} 秒，"
              f"倍数 {naive / ent['seconds']:.1f}×（对比本实现主体数据集：CSV 与 JSON Lines 同时写出）")


if __name__ == "__main__":
    main()
