"""Benchmark of complaints and reports (12315) at a city's yearly volume.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_complaints.py --complaints 200000

Builds the database (migrate; ``registry.seeding.seed_entities`` for the businesses; N complaints and reports of
one year written with ``bulk_create`` across every station, status and category — skipped when already there),
then times:

1. **Filtered workbench lists** through the Django test client (selector + template render, the page a handler
   opens): for a city-level handler, who sees all N, and a station handler, each filter the list offers — status,
   category, kind, date range, business name, overdue, unit, and a next page. Median of 5 after a warm-up; target
   ≤ 300 ms. Baseline: the same filtered list paged the naive way — Django's ``Paginator`` (``COUNT(*)`` + ``OFFSET``)
   on page 100 of model instances — timed on the selector alone, and the ratio.
2. **Public intake**, first in-process: one submission through the test client (``--posts`` of them), its query
   list (``CaptureQueriesContext``) and median time, ``--profile`` adds the queries and a cProfile. Then over HTTP:
   ``jianguan serve`` (gunicorn, bound to 127.0.0.1 only) on the bench database and ``--clients`` closed-loop
   connections posting complete complaints for ``--seconds`` — by default from ``wrk`` (C, one thread, a Lua script
   giving each request a fresh one-time token, a fresh phone number and one of 500 registered businesses; CSRF cookie
   and token from one GET), else (``--load python``) from threads of this process. The load generator's own CPU time
   is printed, to show it is not the bottleneck. Every accepted submission must be stored exactly once (wrk abandons
   up to ``--clients`` requests in flight when its time is up; the server still stores them). Target: ≥ 100
   requests/s on 2 cores. Baseline: the same load against a single sync worker.

For the bench only, and only in its throwaway database, two rules are set through the rules table exactly as a
bureau would: ``complaints.intake_rate`` empty (no per-IP limit — all clients share one IP) and
``complaints.intake_captcha`` false. The server also runs with ``JIANGUAN_TESTING=1``. Production defaults and code
are untouched: the rate limit and the captcha stay on unless a bureau changes these rules.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import http.client
import os
import random
import re
import resource
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")
os.environ.setdefault("JIANGUAN_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.core.paginator import Paginator  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from jianguan.complaints import selectors  # noqa: E402
from jianguan.complaints.models import Category, Channel, Complaint, Kind, Status  # noqa: E402
from jianguan.core.models import OrgUnit, RuleValue  # noqa: E402
from jianguan.core.tests.factories import staff  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

YEAR = 2025
ON = dt.date(2026, 1, 15)
TARGET_MS = 300
TARGET_RPS = 100


def seed(n_complaints: int, n_entities: int) -> None:
    have = Entity.objects.count()
    if have < n_entities:
        from jianguan.registry.seeding import seed_entities

        started = time.monotonic()
        seed_entities(n_entities - have, today=ON)
        print(f"  生成主体 {n_entities - have:,} 个：{time.monotonic() - started:.0f} s（不计入）")
    have = Complaint.objects.filter(number__startswith=f"BENCH-{YEAR}-").count()
    if have >= n_complaints:
        print(f"  已有 {have:,} 件投诉举报，跳过生成")
        return
    started = time.monotonic()
    rng = random.Random(YEAR)
    entities = list(Entity.objects.values_list("id", "name", "uscc", "unit_id")[:n_entities])
    stations = list(OrgUnit.objects.filter(code__regex=r"^\d{8}$").values_list("id", flat=True)) or [
        u for u in OrgUnit.objects.values_list("id", flat=True)
    ]
    statuses = (
        [Status.RECEIVED] * 5
        + [Status.ACCEPTED] * 15
        + [Status.CLOSED] * 60
        + [Status.TERMINATED] * 8
        + [Status.REFUSED] * 7
        + [Status.VERIFYING] * 5
    )
    categories = [c for c, _ in Category.choices]
    batch = []
    for i in range(have + 1, n_complaints + 1):
        kind = Kind.REPORT if i % 8 == 0 else Kind.COMPLAINT
        status = Status.VERIFYING if kind == Kind.REPORT and i % 3 else rng.choice(statuses)
        if kind == Kind.COMPLAINT and status == Status.VERIFYING:
            status = Status.ACCEPTED
        ent = entities[rng.randrange(len(entities))] if rng.random() < 0.92 else None
        received = dt.date(YEAR, 1, 1) + dt.timedelta(days=rng.randrange(365))
        text = f"购买的商品存在质量问题，编号{i}"
        batch.append(
            Complaint(
                number=f"BENCH-{YEAR}-{i:06d}",
                kind=kind,
                channel=rng.choice([Channel.PORTAL, Channel.PHONE]),
                status=status,
                code_hash=hashlib.sha256(str(i).encode()).hexdigest(),
                person_name="李消费",
                person_phone=f"138{i:08d}",
                entity_id=ent[0] if ent else None,
                entity_name=ent[1] if ent else f"无照经营户{i}",
                entity_uscc=ent[2] if ent else "",
                category=rng.choice(categories),
                description=text,
                amount=Decimal(rng.randrange(10, 5000)),
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                unit_id=(ent[3] if ent and ent[3] else rng.choice(stations)),
                received_on=received,
                accept_due=received + dt.timedelta(days=9),
                overdue=rng.random() < 0.03,
                money_recovered=Decimal(rng.randrange(0, 500)) if status == Status.CLOSED else Decimal(0),
            )
        )
        if len(batch) == 5000:
            Complaint.objects.bulk_create(batch)
            batch = []
    Complaint.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("ANALYZE complaints_complaint")
    print(f"  生成投诉举报 {n_complaints - have:,} 件：{time.monotonic() - started:.0f} s（不计入）")


def _median_ms(fn, repeat: int = 5) -> float:
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def bench_lists() -> None:
    city = staff("bench_city_handler", "410400", ["complaint_handler"], name="市局承办人")
    station_code = (
        Complaint.objects.filter(unit__code__regex=r"^\d{8}$").values_list("unit__code", flat=True).first()
    ) or "41040201"
    station = staff("bench_station_handler", station_code, ["complaint_handler"], name="所承办人")
    some = (
        Complaint.objects.filter(number__startswith="BENCH-")
        .exclude(entity__isnull=True)
        .values_list("entity_name", flat=True)[1234]
    )
    first_page_last = selectors.page_of(selectors.complaint_search(city, selectors.Filters())).next_before
    filters = [
        ("全部（最新）", {}),
        ("状态=待受理", {"status": Status.RECEIVED}),
        ("状态=已办结", {"status": Status.CLOSED}),
        ("类别=食品", {"category": Category.FOOD}),
        ("类型=举报", {"kind": Kind.REPORT}),
        ("收到日期 3 月", {"date_from": f"{YEAR}-03-01", "date_to": f"{YEAR}-03-31"}),
        ("经营者名称", {"q": some[2:8]}),
        ("超期", {"overdue": "on"}),
        ("单位=新华区", {"unit": "410402"}),
        ("状态+类别", {"status": Status.CLOSED, "category": Category.FOOD}),
        ("下一页（keyset）", {"before": first_page_last}),
    ]
    print(f"\n== 工作台投诉举报列表（{Complaint.objects.count():,} 件；经测试客户端，含模板渲染）==")
    worst = 0.0
    for who, user in (("市局承办人（全市）", city), (f"所承办人（{station_code}）", station)):
        client = Client()
        client.force_login(user)
        for label, params in filters:
            url = "/workbench/complaints/?" + urlencode(params)

            def get(url=url, client=client):
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)

            ms = _median_ms(get)
            worst = max(worst, ms)
            print(f"  {who:<18} {label:<14} {ms:7.1f} ms")
    print(f"  最慢 {worst:.1f} ms（目标 ≤ {TARGET_MS} ms）")

    # Naive paging of the same selector: COUNT(*) + OFFSET to page 100, model instances.
    for label, params in (
        ("全部", {}),
        ("状态=已办结", {"status": Status.CLOSED}),
        ("类别=食品", {"category": Category.FOOD}),
    ):
        f = selectors.Filters(**params)
        keyset = _median_ms(lambda f=f: selectors.page_of(selectors.complaint_search(city, f)))
        naive = _median_ms(
            lambda f=f: list(Paginator(selectors.complaint_search(city, f), 50).get_page(100).object_list)
        )
        print(
            f"  选择器 {label:<8} keyset 一页 {keyset:6.1f} ms；基线 Paginator 第100页（COUNT+OFFSET）{naive:7.1f} ms；"
            f"比值 {naive / keyset:.1f}×"
        )


def _business_names(n: int = 500) -> list[str]:
    """Names of ``n`` registered businesses, each unique in the registry (the intake finds it by exact name): the
    complaints spread over many businesses and stations, as a city's do."""
    from django.db.models import Count

    return list(
        Entity.objects.values("name")
        .annotate(n=Count("id"))
        .filter(n=1)
        .order_by("name")
        .values_list("name", flat=True)[:n]
    )


def _intake_form(names: list[str]) -> dict:
    return {
        "token": uuid.uuid4().hex,
        "kind": Kind.COMPLAINT,
        "person_name": "压测用户",
        "person_phone": f"139{random.randrange(10**8):08d}",
        "entity_query": random.choice(names),
        "category": Category.FOOD,
        "description": f"压测投诉 {uuid.uuid4().hex}",
        "amount": "35.50",
    }


def bench_intake_in_process(*, posts: int, profile: bool) -> None:
    """One submission inside this process through the test client: its queries and its time, without HTTP."""
    import cProfile
    import pstats

    from django.test.utils import CaptureQueriesContext

    names = _business_names()
    client = Client()
    client.get("/complaints/")

    def post() -> None:
        response = client.post("/complaints/", _intake_form(names))
        assert response.status_code == 302 and "receipt" in response["Location"], response.status_code

    for _ in range(5):
        post()
    with CaptureQueriesContext(connection) as ctx:
        post()
    queries = list(ctx.captured_queries)  # a view of the connection's log, which the next request clears
    times = []
    for _ in range(posts):
        started = time.perf_counter()
        post()
        times.append((time.perf_counter() - started) * 1000)
    print(f"\n== 公众投诉提交（进程内，测试客户端，{posts} 次）==")
    print(
        f"  每次提交 {len(queries)} 条 SQL；耗时中位数 {statistics.median(times):.1f} ms，"
        f"P90 {statistics.quantiles(times, n=10)[-1]:.1f} ms"
    )
    if profile:
        for q in queries:
            print(f"    {q['sql'][:150]}")
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(posts):
            post()
        profiler.disable()
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(25)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("jianguan serve did not start")


def _form_page(port: int) -> tuple[str, str]:
    """(Cookie header, csrfmiddlewaretoken) from one GET of the form, as a browser gets them."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/complaints/")
    response = conn.getresponse()
    body = response.read().decode()
    conn.close()
    cookies = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    return cookies, re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)


def _client_loop(port: int, stop_at: float, counts: dict, lock: threading.Lock, names: list[str]) -> None:
    cookies, csrf = _form_page(port)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    ok = bad = 0
    while time.monotonic() < stop_at:
        form = {"csrfmiddlewaretoken": csrf, **_intake_form(names)}
        conn.request(
            "POST",
            "/complaints/",
            body=urlencode(form),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookies,
                "Referer": f"http://127.0.0.1:{port}/complaints/",
            },
        )
        response = conn.getresponse()
        response.read()
        if response.status == 302 and "receipt" in (response.getheader("Location") or ""):
            ok += 1
        else:
            bad += 1
    with lock:
        counts["ok"] += ok
        counts["bad"] += bad


def _python_load(port: int, *, seconds: float, clients: int, names: list[str]) -> dict:
    """The load from this process: ``clients`` threads, each a closed loop on its own connection."""
    counts, lock = {"ok": 0, "bad": 0}, threading.Lock()
    cpu = time.process_time()
    started = time.monotonic()
    stop_at = started + seconds
    threads = [threading.Thread(target=_client_loop, args=(port, stop_at, counts, lock, names)) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {
        **counts,
        "elapsed": time.monotonic() - started,
        "client_cpu": time.process_time() - cpu,
        "p50": None,
        "p99": None,
        "in_flight": 0,
    }


# wrk's Lua: every request a fresh one-time token (this run's nonce, the thread, a counter: never repeated), a fresh
# phone number and one of the businesses; a request counts as accepted only when it is redirected to the receipt.
WRK_SCRIPT = r"""
local nonce, static, desc = "%(nonce)s", "%(static)s", "%(desc)s"
local names = {%(names)s}
local headers = {["Content-Type"] = "application/x-www-form-urlencoded", ["Cookie"] = "%(cookies)s",
                 ["Referer"] = "%(referer)s"}
local threads, counter = {}, 0
ok, bad = 0, 0  -- globals: done() reads them from each thread with thread:get
function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end
function init(args)
  math.randomseed(tid * 7919 + os.time())
end
function request()
  counter = counter + 1
  local token = nonce .. string.format("%%04x%%08x%%04x%%04x%%04x", tid, counter, math.random(0, 65535),
                                        math.random(0, 65535), math.random(0, 65535))  -- 32 hex digits
  local phone = string.format("139%%04d%%04d", math.random(0, 9999), math.random(0, 9999))
  local body = static .. "&token=" .. token .. "&person_phone=" .. phone .. "&description=" .. desc .. token ..
               "&entity_query=" .. names[math.random(#names)]
  return wrk.format("POST", "/complaints/", headers, body)
end
function response(status, headers, body)
  local location = headers["Location"] or headers["location"] or ""
  if status == 302 and string.find(location, "receipt", 1, true) then ok = ok + 1 else bad = bad + 1 end
end
function done(summary, latency, requests)
  local total_ok, total_bad = 0, 0
  for _, t in ipairs(threads) do
    total_ok = total_ok + t:get("ok")
    total_bad = total_bad + t:get("bad")
  end
  io.write(string.format("JIANGUAN ok=%%d bad=%%d errors=%%d p50=%%d p99=%%d us=%%d\n", total_ok, total_bad,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    latency:percentile(50), latency:percentile(99), summary.duration))
end
"""


def _wrk_load(port: int, *, seconds: float, clients: int, names: list[str], workdir: Path) -> dict:
    """The load from ``wrk`` (C, one thread, ``clients`` connections, each a closed loop)."""
    cookies, csrf = _form_page(port)
    static = urlencode(
        {
            "csrfmiddlewaretoken": csrf,
            "kind": Kind.COMPLAINT,
            "person_name": "压测用户",
            "category": Category.FOOD,
            "amount": "35.50",
        }
    )
    quoted = ",".join('"' + urlencode({"q": n})[2:] + '"' for n in names)
    script = workdir / "intake.lua"
    script.write_text(
        WRK_SCRIPT
        % {
            "nonce": uuid.uuid4().hex[:8],
            "static": static,
            "desc": urlencode({"d": "压测投诉 "})[2:],
            "cookies": cookies,
            "referer": f"http://127.0.0.1:{port}/complaints/",
            "names": quoted,
        }
    )
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    out = subprocess.run(
        [
            "wrk",
            "-t1",
            f"-c{clients}",
            f"-d{seconds:.0f}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}/complaints/",
        ],
        capture_output=True,
        text=True,
    )
    if out.returncode:
        raise RuntimeError(f"wrk failed:\n{out.stdout}\n{out.stderr}")
    out = out.stdout
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    m = re.search(r"JIANGUAN ok=(\d+) bad=(\d+) errors=(\d+) p50=(\d+) p99=(\d+) us=(\d+)", out)
    if m is None:
        raise RuntimeError(f"wrk printed no result:\n{out}")
    ok, bad, errors, p50, p99, us = map(int, m.groups())
    return {
        "ok": ok,
        "bad": bad + errors,
        "elapsed": us / 1e6,
        "p50": p50 / 1000,
        "p99": p99 / 1000,
        "client_cpu": (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
        "in_flight": clients,
    }  # wrk stops without reading the replies to the requests still under way


def _settled_count(timeout: float = 10) -> int:
    """The number of complaints once the requests still in the server have finished."""
    last, deadline = Complaint.objects.count(), time.monotonic() + timeout
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = Complaint.objects.count()
        if now == last:
            return now
        last = now
    return last


def bench_intake(*, seconds: float, clients: int, workers: int | None, load: str) -> float:
    port = _free_port()
    cmd = [sys.executable, "-m", "jianguan", "serve", "--bind", f"127.0.0.1:{port}", "--no-collectstatic"]
    if workers:
        cmd += ["--workers", str(workers)]
    env = dict(os.environ, JIANGUAN_TESTING="1", JIANGUAN_DEBUG="0", JIANGUAN_ALLOW_PROCESS_CACHE="1")
    env.setdefault("JIANGUAN_SECRET_KEY", "bench-only-" + uuid.uuid4().hex)
    with tempfile.TemporaryDirectory(prefix="bench-intake-") as tmp:
        errlog = open(Path(tmp) / "server.err", "w+")  # a file, not a pipe nobody reads: a full pipe stalls gunicorn
        server = subprocess.Popen(
            cmd, env=env, stdout=subprocess.DEVNULL, stderr=errlog, cwd=ROOT, start_new_session=True
        )
        try:
            _wait(port)
            before = Complaint.objects.count()
            names = _business_names()
            if load == "wrk":
                r = _wrk_load(port, seconds=seconds, clients=clients, names=names, workdir=Path(tmp))
            else:
                r = _python_load(port, seconds=seconds, clients=clients, names=names)
            stored = _settled_count() - before
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
            errlog.seek(0)
            tail = errlog.read()[-2000:]
            errlog.close()
    rps = r["ok"] / r["elapsed"]
    label = f"{workers} 个 worker" if workers else "默认 worker 数"
    latency = f"，延迟 P50 {r['p50']:.0f} ms / P99 {r['p99']:.0f} ms" if r["p50"] is not None else ""
    print(
        f"  {label}，{clients} 个并发客户端（{load}），{r['elapsed']:.0f} s：{r['ok']:,} 件受理回执（{rps:.0f} 件/s），"
        f"失败 {r['bad']}，入库 {stored:,}{latency}；压测客户端 CPU {r['client_cpu']:.1f} s"
        f"（{100 * r['client_cpu'] / r['elapsed']:.0f}% 一核）；负载 {os.getloadavg()[0]:.1f}"
    )
    if r["bad"]:
        print("  服务器错误输出（末尾）：\n" + tail)
    # Every accepted submission is stored exactly once (plus, with wrk, those it abandoned when its time was up).
    assert r["ok"] <= stored <= r["ok"] + r["in_flight"], (r, stored)
    return rps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument(
        "--load",
        choices=["wrk", "python"],
        default="wrk" if shutil.which("wrk") else "python",
        help="load generator: wrk (default when installed) or this process's threads",
    )
    parser.add_argument("--skip-lists", action="store_true")
    parser.add_argument("--skip-intake", action="store_true")
    parser.add_argument("--posts", type=int, default=200, help="in-process submissions timed")
    parser.add_argument(
        "--profile", action="store_true", help="print the queries and a cProfile of the in-process posts"
    )
    args = parser.parse_args()
    print(f"数据库 {connection.vendor}，{os.cpu_count()} 核")
    call_command("migrate", verbosity=0)
    from jianguan.core.roles import sync_roles

    sync_roles()  # the role groups and their permissions, as after a normal migrate
    seed(args.complaints, args.entities)
    if not args.skip_lists:
        bench_lists()
    if not args.skip_intake:
        # The bench's own database only: no per-IP limit (all clients share 127.0.0.1) and no captcha image to read.
        for key, value in (("complaints.intake_rate", ""), ("complaints.intake_captcha", False)):
            RuleValue.objects.update_or_create(
                key=key, effective_from=dt.date(2000, 1, 1), defaults={"value": value, "note": "仅压测数据库"}
            )
        from django.core.cache import cache

        cache.clear()
        bench_intake_in_process(posts=args.posts, profile=args.profile)
        if args.seconds <= 0:
            return
        print(f"\n== 公众投诉提交（gunicorn，127.0.0.1，有界闭环 {args.seconds:.0f} s）==")
        rps = bench_intake(seconds=args.seconds, clients=args.clients, workers=None, load=args.load)
        base = bench_intake(seconds=args.seconds, clients=args.clients, workers=1, load=args.load)
        print(f"  目标 ≥ {TARGET_RPS} 件/s；比值 默认 / 单个 sync worker（基线）= {rps / base:.2f}×")


if __name__ == "__main__":
    main()
