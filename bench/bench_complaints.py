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
2. **Public intake**: ``jianguan serve`` (gunicorn, bound to 127.0.0.1 only) on the bench database, and a bounded
   closed loop of clients each posting complete complaints (fresh one-time token each, CSRF cookie from one GET) for
   ``--seconds``. Target: ≥ 100 requests/s on 2 cores. Baseline: the same load against a single sync worker.

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
import signal
import socket
import statistics
import subprocess
import sys
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
        u for u in OrgUnit.objects.values_list("id", flat=True)]
    statuses = [Status.RECEIVED] * 5 + [Status.ACCEPTED] * 15 + [Status.CLOSED] * 60 + [Status.TERMINATED] * 8 + [
        Status.REFUSED] * 7 + [Status.VERIFYING] * 5
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
        batch.append(Complaint(
            number=f"BENCH-{YEAR}-{i:06d}", kind=kind, channel=rng.choice([Channel.PORTAL, Channel.PHONE]),
            status=status, code_hash=hashlib.sha256(str(i).encode()).hexdigest(),
            person_name="李消费", person_phone=f"138{i:08d}",
            entity_id=ent[0] if ent else None, entity_name=ent[1] if ent else f"无照经营户{i}",
            entity_uscc=ent[2] if ent else "", category=rng.choice(categories), description=text,
            amount=Decimal(rng.randrange(10, 5000)), content_hash=hashlib.sha256(text.encode()).hexdigest(),
            unit_id=(ent[3] if ent and ent[3] else rng.choice(stations)), received_on=received,
            accept_due=received + dt.timedelta(days=9), overdue=rng.random() < 0.03,
            money_recovered=Decimal(rng.randrange(0, 500)) if status == Status.CLOSED else Decimal(0)))
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
    station_code = (Complaint.objects.filter(unit__code__regex=r"^\d{8}$").values_list("unit__code", flat=True)
                    .first()) or "41040201"
    station = staff("bench_station_handler", station_code, ["complaint_handler"], name="所承办人")
    some = Complaint.objects.filter(number__startswith="BENCH-").exclude(entity__isnull=True).values_list(
        "entity_name", flat=True)[1234]
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
    for label, params in (("全部", {}), ("状态=已办结", {"status": Status.CLOSED}), ("类别=食品", {"category": Category.FOOD})):
        f = selectors.Filters(**params)
        keyset = _median_ms(lambda f=f: selectors.page_of(selectors.complaint_search(city, f)))
        naive = _median_ms(lambda f=f: list(Paginator(selectors.complaint_search(city, f), 50).get_page(100).object_list))
        print(f"  选择器 {label:<8} keyset 一页 {keyset:6.1f} ms；基线 Paginator 第100页（COUNT+OFFSET）{naive:7.1f} ms；"
              f"比值 {naive / keyset:.1f}×")


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


def _client_loop(port: int, stop_at: float, counts: dict, lock: threading.Lock, entity_name: str) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", "/complaints/")
    response = conn.getresponse()
    body = response.read().decode()
    cookies = "; ".join(c.split(";", 1)[0] for c in response.headers.get_all("Set-Cookie") or [])
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1)
    ok = bad = 0
    while time.monotonic() < stop_at:
        form = {
            "csrfmiddlewaretoken": csrf, "token": uuid.uuid4().hex, "kind": Kind.COMPLAINT, "person_name": "压测用户",
            "person_phone": f"139{random.randrange(10**8):08d}", "entity_query": entity_name,
            "category": Category.FOOD, "description": f"压测投诉 {uuid.uuid4().hex}", "amount": "35.50",
        }
        conn.request("POST", "/complaints/", body=urlencode(form), headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookies,
            "Referer": f"http://127.0.0.1:{port}/complaints/"})
        response = conn.getresponse()
        response.read()
        if response.status == 302 and "receipt" in (response.getheader("Location") or ""):
            ok += 1
        else:
            bad += 1
    with lock:
        counts["ok"] += ok
        counts["bad"] += bad


def bench_intake(*, seconds: float, clients: int, workers: int | None) -> float:
    port = _free_port()
    cmd = [sys.executable, "-m", "jianguan", "serve", "--bind", f"127.0.0.1:{port}", "--no-collectstatic"]
    if workers:
        cmd += ["--workers", str(workers)]
    env = dict(os.environ, JIANGUAN_TESTING="1", JIANGUAN_DEBUG="0")
    env.setdefault("JIANGUAN_SECRET_KEY", "bench-only-" + uuid.uuid4().hex)
    server = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT,
                              start_new_session=True)
    try:
        _wait(port)
        before = Complaint.objects.count()
        name = Entity.objects.values_list("name", flat=True).first()
        counts, lock = {"ok": 0, "bad": 0}, threading.Lock()
        started = time.monotonic()
        stop_at = started + seconds
        threads = [threading.Thread(target=_client_loop, args=(port, stop_at, counts, lock, name))
                   for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - started
        stored = Complaint.objects.count() - before
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    rps = counts["ok"] / elapsed
    label = f"{workers} 个 worker" if workers else "默认 worker 数"
    print(f"  {label}，{clients} 个并发客户端，{elapsed:.0f} s：{counts['ok']:,} 件受理回执（{rps:.0f} 件/s），"
          f"失败 {counts['bad']}，入库 {stored:,}")
    assert stored == counts["ok"], "every accepted submission is stored exactly once"
    return rps


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--complaints", type=int, default=200_000)
    parser.add_argument("--entities", type=int, default=50_000)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--skip-lists", action="store_true")
    parser.add_argument("--skip-intake", action="store_true")
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
            RuleValue.objects.update_or_create(key=key, effective_from=dt.date(2000, 1, 1),
                                               defaults={"value": value, "note": "仅压测数据库"})
        from django.core.cache import cache

        cache.clear()
        print(f"\n== 公众投诉提交（gunicorn，127.0.0.1，有界闭环 {args.seconds:.0f} s）==")
        rps = bench_intake(seconds=args.seconds, clients=args.clients, workers=None)
        base = bench_intake(seconds=args.seconds, clients=args.clients, workers=1)
        print(f"  目标 ≥ {TARGET_RPS} 件/s；比值 默认 / 单个 sync worker（基线）= {rps / base:.2f}×")


if __name__ == "__main__":
    main()
