"""Benchmark of the three actions' reads and imports.

    .venv/bin/python bench/bench_actions.py --cases 5000 --rows 2000                  # SQLite in a temp dir
    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_actions.py   # PostgreSQL

1. Campaign statistics (``ip.selectors.campaign_statistics``: one grouped query over the campaign's cases joined to
   their penalty and IP facts) against the naive report — a loop over the cases reading each case's penalty and
   facts — on ``--cases`` cases tagged 护航 or 雷霆 (half decided, all with IP facts), written set-based.
2. A register import (``core.registers.import_rows``: every row through the service in a savepoint, one
   transaction, all or nothing) of ``--rows`` GI users, against the same rows each saved in its own transaction
   (what entering them one by one costs).

Each figure is printed with the load average and the ratio to its baseline measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")
os.environ.setdefault("JIANGUAN_DEBUG", "1")
if "DATABASE_URL" not in os.environ:
    os.environ.setdefault("JIANGUAN_VAR_DIR", tempfile.mkdtemp(prefix="bench-actions-"))

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

YEAR = 2026


def load() -> str:
    one, five, _ = os.getloadavg()
    return f"负载 {one:.2f}/{five:.2f}"


def build_cases(n: int) -> None:
    from jianguan.core.models import OrgUnit
    from jianguan.enforcement.models import Campaign, Case, Penalty
    from jianguan.ip.models import CaseFacts

    if Case.objects.count() >= n:
        return
    units = list(OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT).order_by("code"))
    huhang, leiting = Campaign.objects.get(code="huhang"), Campaign.objects.get(code="leiting")
    with transaction.atomic():
        cases = Case.objects.bulk_create([
            Case(number=f"BENCH-{i}", unit=units[i % len(units)], year=YEAR, seq=i + 1, party_name=f"当事人{i}",
                 party_kind="organisation", case_type="trademark", title="销售侵犯注册商标专用权的商品",
                 filed_on=dt.date(YEAR, 1 + i % 12, 1 + i % 28), goods_value=Decimal(1000 + i % 500),
                 status="closed" if i % 2 else "filed")
            for i in range(n)], batch_size=2000)
        through = Case.campaigns.through
        through.objects.bulk_create([through(case_id=c.pk, campaign_id=(huhang if i % 3 else leiting).pk)
                                     for i, c in enumerate(cases)], batch_size=5000)
        CaseFacts.objects.bulk_create([
            CaseFacts(case=c, right_kind="trademark", registration_no="4409718", right_holder="某公司",
                      goods_seized_qty=i % 50) for i, c in enumerate(cases)], batch_size=5000)
        Penalty.objects.bulk_create([
            Penalty(case=c, unit_id=c.unit_id, party_name=c.party_name, party_kind="organisation",
                    decision_no=f"BENCH-P-{i}", decided_on=c.filed_on, kinds=["fine"], fine_amount=Decimal(5000),
                    facts="", legal_basis="")
            for i, c in enumerate(cases) if i % 2], batch_size=5000)


def naive_statistics(codes: list[str]) -> dict:
    """The report as a loop would make it: each case, then its penalty and its facts."""
    from jianguan.enforcement.models import Case, Penalty
    from jianguan.ip.models import CaseFacts

    out = {}
    for code in codes:
        cases = fines = seized = 0
        for case in Case.objects.filter(campaigns__code=code, filed_on__year=YEAR):
            cases += 1
            penalty = Penalty.objects.filter(case=case).first()
            fines += penalty.fine_amount if penalty else 0
            facts = CaseFacts.objects.filter(case=case).first()
            seized += facts.goods_seized_qty if facts else 0
        out[code] = (cases, fines, seized)
    return out


def bench_statistics(n: int) -> None:
    from jianguan.ip import selectors

    build_cases(n)
    codes = ["huhang", "leiting"]
    started = time.perf_counter()
    rows = selectors.campaign_statistics(None, year=YEAR, codes=codes)
    grouped = time.perf_counter() - started
    started = time.perf_counter()
    naive = naive_statistics(codes)
    loop = time.perf_counter() - started
    for r in rows:
        assert naive[r.code] == (r.cases, r.fines, r.seized), (r, naive[r.code])
    print(f"专项行动统计（{n:,} 件案件）：分组查询 {grouped * 1000:.0f} ms；逐件读取 {loop * 1000:,.0f} ms；"
          f"倍数 {loop / grouped:,.0f}×（{load()}）")


def bench_import(rows: int) -> None:
    from openpyxl import Workbook

    from jianguan.core.models import Division, OrgUnit
    from jianguan.core.registers import create_row, import_rows
    from jianguan.core.tests.factories import staff
    from jianguan.ip import services
    from jianguan.ip.models import GIProduct, GIUser
    from jianguan.ip.registers import GI_USERS
    from jianguan.registry.tests.factories import EntityFactory

    officer = staff("bench_ip", "410400ZC", ["ip_officer"], credential=False)
    product = GIProduct.objects.filter(name="宝丰酒").first() or services.gi_product_create(
        actor=officer, name="宝丰酒", kind="product", registration_no="1", holder="宝丰县人民政府", area=["410421"],
        approved_on=dt.date(2008, 1, 1))
    unit, division = OrgUnit.objects.get(code="410421"), Division.objects.get(code="410421")
    firms = EntityFactory.create_batch(rows * 2, unit=unit, division=division)
    wb = Workbook()
    wb.active.append(["地理标志名称", "使用人统一社会信用代码", "核准/备案日期"])
    for firm in firms[:rows]:
        wb.active.append([product.name, firm.uscc, "2026-03-01"])
    data = io.BytesIO()
    wb.save(data)
    started = time.perf_counter()
    report = import_rows(GI_USERS, actor=officer, data=data.getvalue())
    imported = time.perf_counter() - started
    started = time.perf_counter()
    for firm in firms[rows:]:
        with transaction.atomic():
            create_row(GI_USERS, actor=officer, raw={"product": product.name, "entity": firm.uscc,
                                                     "approved_on": "2026-03-01"})
    one_by_one = time.perf_counter() - started
    assert report.created == rows and GIUser.objects.count() == 2 * rows
    print(f"台账导入（{rows:,} 行地理标志使用人，整表一个事务、逐行保存点）：{imported:.2f} s，{rows / imported:,.0f} 行/秒；"
          f"逐行各自提交 {one_by_one:.2f} s；倍数 {one_by_one / imported:.2f}×（{load()}）")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=5_000)
    parser.add_argument("--rows", type=int, default=2_000)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from jianguan.core.demo import build_org
    from jianguan.core.roles import sync_roles

    sync_roles()
    build_org()
    print(f"数据库：{connection.vendor}（{load()}）")
    bench_statistics(args.cases)
    bench_import(args.rows)


if __name__ == "__main__":
    main()
