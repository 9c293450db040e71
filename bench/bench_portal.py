"""Benchmark of the public portal's open data: the record endpoint under load, name search, the bulk dump.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_portal.py --entities 1000000

Builds the database (migrate; ``registry.seeding.seed_entities``), then:

1. starts the production server (``jianguan serve``: gunicorn, DEBUG off) on 127.0.0.1 only and load-tests
   ``GET /api/v1/entities/{code}`` with 32 concurrent connections for a bounded time (an asyncio client over
   loopback, one request per connection as gunicorn's sync workers close after each response): requests/s, p50,
   p99. The per-IP rate limit is switched off for the run (rule ``portal.open_api_rate`` = "" from today),
   since all the load comes from one address;
2. times name search ``GET /api/v1/entities?q=…`` for fragments drawn from real names (p50, p95), and a deep page
   (the 20,000th row of a common fragment) with the keyset cursor against OFFSET;
3. times the full bulk dump (``portal.opendata.dump``: every dataset, CSV + JSON Lines, gzip, SHA-256).

Baselines ("naive", each measured on a sample and extrapolated where the full run would take too long):
the record built from ORM objects with lazy relations and the credit timeline, ``model_to_dict`` + ``json.dumps``
(timed in-process against ours, same process, same rows); OFFSET pagination; a dump of ORM objects, one
``json.dumps`` per row, uncompressed writes then gzip.

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
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
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


def start_server(port: int, workers: int) -> subprocess.Popen:
    env = dict(os.environ)
    env.pop("JIANGUAN_TESTING", None)
    env.update(JIANGUAN_DEBUG="0", JIANGUAN_SECRET_KEY=secrets.token_urlsafe(60), JIANGUAN_SSL_REDIRECT="0",
               JIANGUAN_ALLOWED_HOSTS="127.0.0.1", JIANGUAN_LOG_LEVEL="WARNING", DJANGO_SETTINGS_MODULE="")
    env.pop("DJANGO_SETTINGS_MODULE")
    proc = subprocess.Popen([sys.executable, "-m", "jianguan", "serve", "--bind", f"127.0.0.1:{port}",
                             "--workers", str(workers), "--no-collectstatic"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
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


def get(port: int, path: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=30) as r:
        body = r.read()
    return time.perf_counter() - started, body


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


def ours_record(code: str) -> bytes:
    from jianguan.portal import public

    return json.dumps(public.record(public.get_public_entity(code)), default=str, ensure_ascii=False).encode()


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
    parser.add_argument("--workers", type=int, default=0, help="gunicorn workers (default 2×CPU+1)")
    parser.add_argument("--searches", type=int, default=300)
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

    # --- 1. the record under load ---
    port = free_port()
    workers = args.workers or (2 * (os.cpu_count() or 1) + 1)
    server = start_server(port, workers)
    try:
        paths = [f"/api/v1/entities/{c}" for c in codes]
        load_test(port, paths[:500], concurrency=args.concurrency, seconds=5, max_requests=2_000)  # warm-up
        result = load_test(port, paths, concurrency=args.concurrency, seconds=args.seconds, max_requests=1_000_000)
        print(f"\n1. GET /api/v1/entities/{{code}}：{args.concurrency} 并发、{result['seconds']:.1f} 秒、gunicorn "
              f"{workers} 个工作进程")
        print(f"   {result['rps']:,.0f} 请求/秒，p50 {result['p50_ms']:.1f} ms，p99 {result['p99_ms']:.1f} ms；"
              f"状态 {result['statuses']}")
        print(f"   目标 ≥ 1,000 请求/秒、p99 ≤ 50 ms：{'达到' if result['rps'] >= 1000 and result['p99_ms'] <= 50 else '未达到'}")

        # --- 2. name search ---
        names = list(Entity.objects.filter(id__in=sample_ids[:2000]).values_list("name", flat=True))
        fragments = []
        for name in names[: args.searches]:
            n = rng.choice((2, 3, 4))
            start = rng.randrange(0, max(1, len(name) - n))
            fragments.append(name[start:start + n])
        times = []
        for frag in fragments:
            t, _ = get(port, "/api/v1/entities?" + urllib.parse.urlencode({"q": frag, "limit": 50}))
            times.append(t)
        p50, p95 = pct(times, 50) * 1000, pct(times, 95) * 1000
        print(f"\n2. 名称检索 GET /api/v1/entities?q=…（{len(fragments)} 个取自真实名称的 2–4 字片段，串行）")
        print(f"   p50 {p50:.1f} ms，p95 {p95:.1f} ms；目标 p95 ≤ 100 ms：{'达到' if p95 <= 100 else '未达到'}")
    finally:
        stop_server(server)

    # deep pages: keyset against OFFSET (in-process, same query)
    from jianguan.portal import public

    common = "平顶山"
    qs = public.search(q=common)
    depth = min(20_000, max(1, total // 2))
    after = qs.values_list("id", flat=True)[depth - 1:depth].first() or 0
    t0 = time.perf_counter()
    for _ in range(5):
        public.keyset_page(qs, after=after, limit=50, values=public.SUMMARY_VALUES)
    keyset = (time.perf_counter() - t0) / 5
    t0 = time.perf_counter()
    for _ in range(5):
        list(qs.values(*public.SUMMARY_VALUES)[depth:depth + 50])
        qs.count()  # a numbered paginator counts too
    offset = (time.perf_counter() - t0) / 5
    print(f"   第 {depth:,} 行处翻页：游标 {keyset * 1000:.1f} ms，OFFSET+COUNT {offset * 1000:.1f} ms，"
          f"倍数 {offset / keyset:.1f}×")

    # record: ours against naive, in-process
    sample = codes[:300]
    for fn in (ours_record, naive_record):
        fn(sample[0])
    t_ours, t_naive = time_each(ours_record, sample), time_each(naive_record, sample)
    print(f"   单个主体记录（进程内、串行）：本实现 {t_ours * 1000:.2f} ms，朴素实现 {t_naive * 1000:.2f} ms，"
          f"倍数 {t_naive / t_ours:.1f}×")

    # --- 3. the bulk dump ---
    import tempfile

    from jianguan.portal import opendata

    with tempfile.TemporaryDirectory(prefix="jianguan-bench-dump-") as tmp:
        tmp = Path(tmp)
        t0 = time.perf_counter()
        manifest = opendata.dump(today=ON, directory=tmp / "current")
        full = time.perf_counter() - t0
        ent = next(d for d in manifest["datasets"] if d["name"] == "entities")
        sizes = ", ".join(f"{f['name']} {f['bytes'] / 1e6:.0f} MB" for f in ent["files"])
        print(f"\n3. 全量数据包：{full:.1f} 秒（主体 {ent['rows']:,} 行 {ent['seconds']} 秒；{sizes}）")
        print(f"   目标 {total:,} 主体 ≤ 60 秒：{'达到' if full <= 60 else '未达到'}")
        n = min(20_000, total)
        naive = naive_dump(n, tmp) * total / n
        print(f"   朴素实现（每行 ORM 对象 + json.dumps，仅 JSON Lines，按 {n:,} 行外推）：{naive:.0f} 秒，"
              f"倍数 {naive / ent['seconds']:.1f}×（对比本实现主体数据集：CSV 与 JSON Lines 同时写出）")


if __name__ == "__main__":
    main()
