"""Benchmark of special equipment: the schedule recomputation for 200,000 devices and a district's overdue list.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_equipment.py --devices 200000

Builds the database (migrate; the organisation and demo staff; ``--entities`` generated entities; ``--devices``
devices of every family spread over them, each with one or two inspections — bulk inserts), then times:

1. ``services.recompute_schedules`` over every device: two grouped reads and one UPDATE … FROM (VALUES …) per chunk
   of 5,000, writing only what changed — a first run (every schedule new) and an idempotent second run.
   Baseline: ``services.recompute_schedules_naive`` (read, compute and save one device at a time through the ORM),
   timed on a sample and extrapolated to all devices.
2. The overdue list of a district bureau as its head sees it (``selectors.due_list``: scope, the partial index on
   (unit, next_due), first 100 rows and the count) — median of 15. Baseline: the list without the stored schedule
   (the district's devices with their inspections, the schedule computed in Python, filtered and sorted).

Targets (PostgreSQL): recompute ≤ 30 s for 200,000 devices; district overdue list ≤ 200 ms.
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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.core.models import OrgUnit  # noqa: E402
from jianguan.equipment import schedule, selectors, services  # noqa: E402
from jianguan.equipment.demo import _params  # noqa: E402
from jianguan.equipment.models import Conclusion, Device, Inspection  # noqa: E402
from jianguan.equipment.rules import schedule_rules  # noqa: E402
from jianguan.registry import seeding  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

TODAY = dt.date(2026, 12, 4)
CATEGORIES = ["3100"] * 55 + ["3300"] * 5 + ["2100"] * 15 + ["2300"] * 6 + ["1100"] * 4 + ["4100"] * 8 + \
    ["5100"] * 5 + ["6200"] * 1 + ["8300"] * 1


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"负载 {one:.2f} {five:.2f} {fifteen:.2f}"


def build(entities: int, devices: int) -> None:
    from jianguan.core.demo import build_org, build_staff
    from jianguan.core.roles import sync_roles

    call_command("migrate", verbosity=0)
    sync_roles()
    if not get_user_model().objects.filter(username="xh_head").exists():
        build_staff(build_org(), TODAY)
    have = Entity.objects.count()
    if have < entities:
        t = time.monotonic()
        seeding.seed_entities(entities - have, today=TODAY)
        print(f"  生成市场主体 {entities - have:,} 户：{time.monotonic() - t:.1f} 秒")
    have = Device.objects.count()
    if have >= devices:
        return
    t = time.monotonic()
    rnd = random.Random(7)
    owners = list(Entity.objects.values_list("id", "unit_id", "address")[:entities])
    batch = 10_000
    for start in range(have, devices, batch):
        rows, plan = [], []
        for i in range(start, min(devices, start + batch)):
            eid, unit_id, address = owners[rnd.randrange(len(owners))]
            cat = rnd.choice(CATEGORIES)
            commissioned = TODAY - dt.timedelta(days=rnd.randint(200, 20 * 365))
            code = f"B{cat}{i:012d}"
            rows.append(Device(code=code, category=cat, entity_id=eid, unit_id=unit_id, location=f"{address}{i % 30}号楼",
                               commissioned_on=commissioned, params=_params(cat, rnd), status="in_use"))
            last = TODAY - dt.timedelta(days=rnd.randint(1, 500))
            if last > commissioned:
                plan.append((code, cat, last, Conclusion.FAILED if rnd.random() < 0.03 else Conclusion.PASSED))
        with transaction.atomic():
            Device.objects.bulk_create(rows, batch_size=5000)
            ids = dict(Device.objects.filter(code__in=[r.code for r in rows]).values_list("code", "id"))
            Inspection.objects.bulk_create(
                [Inspection(device_id=ids[code], kind=schedule.kinds_for(cat)[0], inspected_on=last, body="检验所",
                            conclusion=conclusion) for code, cat, last, conclusion in plan], batch_size=5000)
        print(f"\r  设备 {min(devices, start + batch):,}/{devices:,}", end="", flush=True)
    print(f"\n  生成设备：{time.monotonic() - t:.1f} 秒")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE equipment_device; ANALYZE equipment_inspection")


def bench_recompute(sample: int) -> None:
    total = Device.objects.count()
    Device.objects.update(next_due=None, apply_by=None, next_kind="", schedule_basis="")
    t = time.monotonic()
    first = services.recompute_schedules(today=TODAY)
    first_s = time.monotonic() - t
    print(f"1. 重新计算检验日期（{total:,} 台，首次全部写入 {first['changed']:,} 台）：{first_s:.1f} 秒  [{load()}]")
    t = time.monotonic()
    second = services.recompute_schedules(today=TODAY)
    print(f"   再次运行（无变化，写入 {second['changed']} 台）：{time.monotonic() - t:.1f} 秒  [{load()}]")
    ids = list(Device.objects.order_by("id").values_list("id", flat=True)[:sample])
    Device.objects.filter(id__in=ids).update(next_due=None)
    t = time.monotonic()
    services.recompute_schedules_naive(today=TODAY, device_ids=ids)
    naive = (time.monotonic() - t) / len(ids) * total
    print(f"   基线（逐台读取、计算、保存；{len(ids):,} 台外推到 {total:,} 台）：{naive:.1f} 秒  [{load()}]")
    print(f"   倍数：{naive / first_s:.1f}×（目标 ≤ 30 秒：{'达到' if first_s <= 30 else '未达到'}）")


def naive_overdue(unit_ids: list[int]) -> list:
    rules = schedule_rules(TODAY)
    out = []
    for device in Device.objects.filter(unit_id__in=unit_ids, status="in_use").prefetch_related("inspections"):
        last, failed = {}, None
        for ins in device.inspections.all():
            if ins.conclusion == "failed":
                failed = max(failed or ins.inspected_on, ins.inspected_on)
            else:
                last[ins.kind] = max(last.get(ins.kind, ins.inspected_on), ins.inspected_on)
        if failed and last and max(last.values()) >= failed:
            failed = None
        s = schedule.compute(category=device.category, params=device.params, commissioned_on=device.commissioned_on,
                             in_use=True, last=last, failed_on=failed, rules=rules)
        if s.next_due and s.next_due < TODAY:
            out.append((s.next_due, device.id))
    return sorted(out)[:100]


def bench_overdue(runs: int = 15) -> None:
    head = get_user_model().objects.get(username="xh_head")
    district = OrgUnit.objects.get(code="410402")
    unit_ids = list(OrgUnit.objects.filter(path__startswith=district.path).values_list("id", flat=True))
    times = []
    for _ in range(runs):
        head = get_user_model().objects.get(username="xh_head")  # a fresh user: the scope is read each time
        t = time.perf_counter()
        rows, total = selectors.due_list(head, "overdue", today=TODAY)
        times.append((time.perf_counter() - t) * 1000)
    median = statistics.median(times)
    in_district = Device.objects.filter(unit_id__in=unit_ids).count()
    print(f"2. 新华区局超期未检名单（区内 {in_district:,} 台，超期 {total:,} 台，取前 {len(rows)} 行）："
          f"中位数 {median:.1f} ms，最慢 {max(times):.1f} ms  [{load()}]")
    base = []
    for _ in range(3):
        t = time.perf_counter()
        naive_overdue(unit_ids)
        base.append((time.perf_counter() - t) * 1000)
    b = statistics.median(base)
    print(f"   基线（不存检验日期，逐台按检验记录计算）：中位数 {b:.0f} ms  [{load()}]")
    print(f"   倍数：{b / median:.0f}×（目标 ≤ 200 ms：{'达到' if median <= 200 else '未达到'}）")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--devices", type=int, default=200_000)
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=2_000)
    args = parser.parse_args()
    print(f"数据库：{connection.vendor}  [{load()}]")
    build(args.entities, args.devices)
    bench_recompute(args.sample)
    bench_overdue()


if __name__ == "__main__":
    main()
