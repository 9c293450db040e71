"""Benchmark of the registry at city-to-province scale: seeding, lookup by code, name-fragment search, and the
import of a full CSV file, each against a naive baseline.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_registry.py --entities 1000000

On a fresh database, in this order:

1. ``jianguan seed --entities N`` (the command itself) — target ≤ 180 s for 1,000,000. Baseline: the same
   generated rows saved with one ``Entity.save()`` per row (plus its history row) on a sample, extrapolated.
2. Lookup by code through the scoped selector the workbench uses (``selectors.entity_for``), random codes —
   target ≤ 5 ms. Baseline: a case-insensitive match (``uscc__iexact``), which no index serves (a full scan).
3. Name-fragment search, the workbench's first page (``entity_search`` + ``keyset_page``: ``name LIKE '%…%'``
   ordered by id, 51 rows), for a city-level user and a district officer, fragments of 3–4 characters cut from
   real names (common and rare alike) and, separately, 2-character fragments — target p95 ≤ 100 ms. The index is
   ``entity_name_trgm`` (pg_trgm GIN, migration 0003). Baseline: the same queries with that index dropped
   (inside a transaction that is rolled back).
4. The export of all N entities to CSV, then the import of that file into an emptied registry with full
   validation (``importexport.import_entities``: every cell parsed and checked, duplicates in file and registry,
   the cross-field rules, COPY) — target ≤ 120 s for 1,000,000 rows. Baseline: a naive loader (csv.DictReader,
   foreign keys looked up per row, ``full_clean()``, one ``save()`` and one history row per row, autocommit) on a
   sample, extrapolated.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.core.models import Division, OrgUnit  # noqa: E402
from jianguan.registry import importexport, seeding, selectors, uscc  # noqa: E402
from jianguan.registry.models import Entity, EntityChange, Industry, LicenceKind  # noqa: E402

TODAY = dt.date(2026, 11, 20)


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def personas():
    from jianguan.core.roles import sync_roles
    from jianguan.core.tests.factories import staff

    sync_roles()
    seeding.ensure_org()
    city = staff("bench_city", "410400", ["bureau_leader"], name="市局")
    district = staff("bench_xh", "410402", ["case_officer", "inspector"], name="新华区")
    return city, district


# --- 1. seed ------------------------------------------------------------------------------------------------------


def bench_seed(n: int) -> float:
    started = time.monotonic()
    call_command("seed", "--entities", str(n), "--today", TODAY.isoformat(), verbosity=1)
    return time.monotonic() - started


def naive_seed(sample: int) -> float:
    """Seconds per entity when each generated row is saved as a model instance with its history row."""
    rng = random.Random(99)
    units = seeding.ensure_org()
    gen = seeding._Generator(rng, seeding._Pools(rng), units,
                             dict(Industry.objects.filter(parent__isnull=False).values_list("code", "name")),
                             {k.code: k for k in LicenceKind.objects.all()}, TODAY)
    plan = [(seeding.DISTRICTS[i % len(seeding.DISTRICTS)], "llc") for i in range(sample)]
    gen.serials = {(d[0], "1"): 5_000_000 for d, _k in plan}  # far from the real seed's serials
    entities, _changes, _licences = gen.batch(plan)
    names = [f.attname for f in Entity._meta.concrete_fields if f.attname != "id"]
    fields = seeding._ENTITY_FIELDS[1:]
    with transaction.atomic():
        started = time.monotonic()
        for values in entities:
            data = dict(zip(fields, values, strict=True))
            entity = Entity(**{k: v for k, v in data.items() if k in names})
            entity.save()
            EntityChange.objects.create(entity=entity, kind=EntityChange.Kind.ESTABLISHED, on=entity.established_on)
        elapsed = time.monotonic() - started
        transaction.set_rollback(True)
    return elapsed / sample


# --- 2. lookup by code -----------------------------------------------------------------------------------------------


def bench_lookup(user, codes: list[str]) -> list[float]:
    times = []
    for code in codes:
        started = time.perf_counter()
        entity = selectors.entity_for(user, code)
        times.append(time.perf_counter() - started)
        assert entity.uscc == code
    return times


def naive_lookup(codes: list[str]) -> list[float]:
    times = []
    for code in codes:
        started = time.perf_counter()
        Entity.objects.select_related("unit").get(uscc__iexact=code.lower())
        times.append(time.perf_counter() - started)
    return times


# --- 3. name search ------------------------------------------------------------------------------------------------


def fragments(rng: random.Random, count: int, length: tuple[int, int]) -> list[str]:
    ids = Entity.objects.order_by("-id").values_list("id", flat=True).first() or 0
    names = list(Entity.objects.filter(id__in=[rng.randint(1, ids) for _ in range(count * 3)])
                 .values_list("name", flat=True))
    out = []
    for name in names:
        size = rng.randint(*length)
        if len(name) <= size:
            continue
        start = rng.randint(0, len(name) - size)
        out.append(name[start:start + size])
        if len(out) == count:
            break
    return out


def bench_search(user, terms: list[str]) -> list[float]:
    times = []
    for term in terms:
        started = time.perf_counter()
        page = selectors.keyset_page(selectors.entity_search(user, q=term, field="name").select_related("unit"))
        times.append(time.perf_counter() - started)
        assert page.items, term
    return times


def search_plans(user, terms: list[str]) -> str:
    """Which index the planner picks, counted over ``terms``: the trigram index for rare fragments, a walk of
    the primary key (stopping at the 51st match) for common ones."""
    from collections import Counter

    seen: Counter = Counter()
    for term in terms:
        qs = selectors.entity_search(user, q=term, field="name")[:51]
        sql, params = qs.query.sql_with_params()
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute("EXPLAIN " + sql, params)
                plan = " ".join(row[0] for row in cursor.fetchall())
                used = [name for name in ("entity_name_trgm", "registry_entity_pkey") if name in plan]
                seen["+".join(used) or "顺序扫描"] += 1
            else:
                # SQLite's EXPLAIN lists virtual-machine opcodes (integers first); EXPLAIN QUERY PLAN gives one row
                # (id, parent, notused, detail) per step, the detail naming the table's scan and its index.
                cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
                details = [str(row[-1]) for row in cursor.fetchall()]
                step = next((d for d in details if "registry_entity " in f"{d} "), details[0] if details else "?")
                seen[step] += 1
    return "，".join(f"{name} {count} 个" for name, count in seen.most_common())


def without_trigram_index(fn):
    """Run ``fn`` with the name trigram index dropped, then put it back (the transaction is rolled back)."""
    if connection.vendor != "postgresql":
        return fn()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("DROP INDEX IF EXISTS entity_name_trgm")
        result = fn()
        transaction.set_rollback(True)
    return result


# --- 4. import -----------------------------------------------------------------------------------------------------


def naive_import(path: Path, sample: int) -> float:
    """Seconds per row of the obvious loader: one row, one lookup per foreign key, full_clean, save, history."""
    kinds = {label: value for value, label in importexport.KIND_LABELS.items()}
    statuses = {label: value for value, label in importexport.STATUS_LABELS.items()}
    started = time.monotonic()
    done = 0
    with path.open(encoding="utf-8-sig", newline="") as fh:
        for line in csv.DictReader(fh):
            code = line["统一社会信用代码"]
            entity = Entity(
                uscc=code, uscc_problem=uscc.invalid_reason(code) or "", name=line["名称"],
                kind=kinds[line["主体类型"]], legal_rep=line["法定代表人/经营者"], legal_rep_id_no=line["证件号码"],
                phone=line["联系电话"],
                registered_capital=Decimal(line["注册资本（万元）"]) if line["注册资本（万元）"] else None,
                established_on=dt.date.fromisoformat(line["成立日期"]), address=line["住所"],
                division=Division.objects.get(code=line["行政区划代码"]),
                unit=OrgUnit.objects.get(code=line["监管单位代码"]),
                registration_authority=OrgUnit.objects.get(code=line["登记机关代码"]),
                industry=Industry.objects.get(code=line["行业代码"]), business_scope=line["经营范围"],
                status=statuses[line["登记状态"]],
                status_changed_on=dt.date.fromisoformat(line["状态变更日期"]) if line["状态变更日期"] else None)
            entity.full_clean()
            entity.save()
            EntityChange.objects.create(entity=entity, kind=EntityChange.Kind.IMPORTED, on=TODAY, note="导入")
            done += 1
            if done == sample:
                break
    return (time.monotonic() - started) / done


def empty_registry() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE registry_licence, registry_entitychange, registry_entity CASCADE")
        else:
            for table in ("registry_licence", "registry_entitychange", "registry_entity"):
                cursor.execute(f"DELETE FROM {table}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=100_000)
    parser.add_argument("--lookups", type=int, default=2000)
    parser.add_argument("--searches", type=int, default=300)
    parser.add_argument("--sample", type=int, default=2000, help="rows of the naive seed and import baselines")
    args = parser.parse_args()
    n = args.entities
    rng = random.Random(2026)

    call_command("migrate", verbosity=0)
    print(f"数据库：{connection.vendor} {connection.pg_version if connection.vendor == 'postgresql' else ''}")
    city, district = personas()

    # 1. seed
    seeded = bench_seed(n)
    count = Entity.objects.count()
    per_naive = naive_seed(min(args.sample, 1000))
    naive_total = per_naive * n
    print(f"[seed] seed --entities {n:,}：{seeded:.1f} s（{count / seeded:,.0f} 户/秒）；"
          f"逐行 save() 推算 {naive_total:,.0f} s（{per_naive * 1000:.2f} ms/户）；倍数 {naive_total / seeded:.1f}×；"
          f"目标（100 万户）≤ 180 s：{'达到' if seeded * 1_000_000 / n <= 180 else '未达到'}"
          + ("" if n == 1_000_000 else f"（按比例：{seeded * 1_000_000 / n:.0f} s）"))

    # 2. lookup by code
    top = Entity.objects.order_by("-id").values_list("id", flat=True).first()
    codes = list(Entity.objects.filter(id__in=[rng.randint(1, top) for _ in range(args.lookups * 2)])
                 .values_list("uscc", flat=True)[: args.lookups])
    bench_lookup(city, codes[:50])  # warm the connection and the caches
    times = bench_lookup(city, codes)
    naive = naive_lookup(codes[:20])
    print(f"[lookup] 按代码查找（entity_for，市局用户，{len(times):,} 次）：中位 {ms(statistics.median(times))}，"
          f"p95 {ms(pct(times, 95))}，p99 {ms(pct(times, 99))}；不走索引（uscc__iexact）中位 "
          f"{ms(statistics.median(naive))}；倍数 {statistics.median(naive) / statistics.median(times):,.0f}×；"
          f"目标 ≤ 5 ms：{'达到' if pct(times, 95) <= 0.005 else '未达到'}")

    # 3. name search
    terms3 = fragments(rng, args.searches, (3, 4))
    terms2 = fragments(rng, max(args.searches // 3, 20), (2, 2))
    bench_search(city, terms3[:20])
    results = {}
    for label, user in (("市局", city), ("新华区", district)):
        mine = terms3 if label == "市局" else [t for t in terms3 if selectors.entity_search(user, q=t).exists()]
        results[label] = (bench_search(user, mine), bench_search(user, terms2) if label == "市局" else None)
    city3, city2 = results["市局"]
    dist3, _ = results["新华区"]
    baseline = without_trigram_index(lambda: bench_search(city, terms3[:40]))
    sample_plan = search_plans(city, terms3[:60])
    print(f"[search] 名称片段（3–4字，{len(city3)} 个，取第一页）：市局 中位 {ms(statistics.median(city3))}，"
          f"p95 {ms(pct(city3, 95))}；新华区 中位 {ms(statistics.median(dist3))}，p95 {ms(pct(dist3, 95))}；"
          f"2字片段（{len(city2)} 个）p95 {ms(pct(city2, 95))}；执行计划（前 60 个片段）：{sample_plan}（entity_name_trgm 即迁移 0003 的 pg_trgm GIN 索引）")
    print(f"[search] 删除三元组索引后（同样的前 40 个片段）：中位 {ms(statistics.median(baseline))}，"
          f"p95 {ms(pct(baseline, 95))}；倍数（p95）{pct(baseline, 95) / pct(city3[:40], 95):.1f}×；"
          f"目标 p95 ≤ 100 ms：{'达到' if max(pct(city3, 95), pct(dist3, 95)) <= 0.1 else '未达到'}")

    # 4. export + import
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.csv"
        started = time.monotonic()
        exported = importexport.export_entities(Entity.objects.all(), path, "csv")
        export_s = time.monotonic() - started
        size_mb = path.stat().st_size / 1048576
        print(f"[export] 导出 {exported:,} 户 CSV（{size_mb:.0f} MB）：{export_s:.1f} s")
        empty_registry()
        per_row = naive_import(path, args.sample)
        empty_registry()
        started = time.monotonic()
        result = importexport.import_entities(path)
        import_s = time.monotonic() - started
        assert result.ok and result.created == exported, result.summary()
        naive_total = per_row * exported
        print(f"[import] 导入 {exported:,} 行（全部校验，COPY）：{import_s:.1f} s（{exported / import_s:,.0f} 行/秒）；"
              f"逐行 save() 加载（样本 {args.sample:,} 行，{per_row * 1000:.2f} ms/行）推算 {naive_total:,.0f} s；"
              f"倍数 {naive_total / import_s:.1f}×；目标（100 万行）≤ 120 s："
              f"{'达到' if import_s * 1_000_000 / exported <= 120 else '未达到'}"
              + ("" if exported == 1_000_000 else f"（按比例：{import_s * 1_000_000 / exported:.0f} s）"))


if __name__ == "__main__":
    main()
