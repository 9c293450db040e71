"""The command line: ``jianguan import entities`` exits 0 / 1 / 2 and prints every problem with row and column,
``--dry-run`` and ``--skip-invalid`` behave as documented, ``jianguan export entities`` filters and imports back,
``jianguan seed --entities N`` adds N entities. Exit codes are read from CommandError.returncode, which is what
``jianguan`` exits with."""

import csv
import io
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.core.models import AuditEntry
from jianguan.registry import seeding
from jianguan.registry.models import Entity, EntityStatus

from .factories import EntityFactory
from .spreadsheets import code, row, snapshot, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    try:
        call_command(*args, stdout=out, stderr=err)
    except CommandError as exc:
        return exc.returncode, out.getvalue(), err.getvalue() + str(exc)
    return 0, out.getvalue(), err.getvalue()


def test_a_valid_file_imports_and_exits_0(org, tmp_path):
    path = write_xlsx(tmp_path / "ok.xlsx", [row(1), row(2)])
    rc, out, _err = run("import", "entities", str(path))
    assert rc == 0 and "新增 2 户" in out
    assert Entity.objects.count() == 2


def test_an_invalid_file_exits_1_listing_every_problem_and_writes_nothing(org, tmp_path):
    path = write_csv(tmp_path / "bad.csv", [row(1, industry="99"), row(2), row(3, capital="-3")])
    rc, _out, err = run("import", "entities", str(path))
    assert rc == 1
    assert "第2行 M列「行业代码」：行业代码「99」不存在" in err
    assert "第4行 G列「注册资本（万元）」：注册资本不能为负数（值：-3）" in err
    assert "未写入任何数据" in err
    assert not Entity.objects.exists()


def test_an_unreadable_file_exits_2(org, tmp_path):
    path = write_xlsx(tmp_path / "merged.xlsx", [row(1), row(2)], merge="A2:A3")
    rc, _out, err = run("import", "entities", str(path))
    assert rc == 2 and "A2:A3 是合并单元格" in err
    rc, _out, err = run("import", "entities", str(tmp_path / "missing.csv"))
    assert rc == 2 and "不存在" in err


def test_dry_run_exits_0_for_a_valid_file_and_writes_nothing(org, tmp_path):
    path = write_csv(tmp_path / "ok.csv", [row(1)])
    rc, out, _err = run("import", "entities", str(path), "--dry-run")
    assert rc == 0 and "校验通过" in out and not Entity.objects.exists()


def test_skip_invalid_loads_good_rows_exits_1_and_writes_the_report(org, tmp_path):
    path = write_csv(tmp_path / "mixed.csv", [row(1), row(2, division="999999")])
    rc, _out, err = run("import", "entities", str(path), "--skip-invalid")
    assert rc == 1
    default_report = tmp_path / "mixed.问题行.csv"
    assert f"问题行报告：{default_report}" in err and default_report.exists()
    assert list(Entity.objects.values_list("uscc", flat=True)) == [code(1)]
    report = tmp_path / "r.xlsx"
    rc, _out, _err = run("import", "entities", str(path), "--skip-invalid", "--report", str(report), "--update")
    assert rc == 1 and report.exists()


def test_export_filters_and_round_trips_through_import(org, tmp_path):
    EntityFactory.create_batch(3)
    EntityFactory(status=EntityStatus.REVOKED, status_changed_on="2024-01-02")
    EntityFactory(unit_id=org["41040301"].pk, division_id="410403", registration_authority=org["410403"])
    out_file = tmp_path / "revoked.csv"
    rc, out, _err = run("export", "entities", "--status", "吊销", "--output", str(out_file))
    assert rc == 0 and "已导出 1 户" in out
    with out_file.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["登记状态"] for r in rows] == ["吊销"]
    rc, _out, _err = run("export", "entities", "--unit", "410403", "--format", "xlsx", "-o", str(tmp_path / "wd.xlsx"))
    assert rc == 0
    whole = tmp_path / "all.xlsx"
    assert run("export", "entities", "-o", str(whole))[0] == 0
    before = snapshot()
    Entity.objects.all().delete()
    assert run("import", "entities", str(whole))[0] == 0
    assert snapshot() == before
    assert AuditEntry.objects.filter(action="registry.entity.exported").count() == 3


def test_export_to_stdout_is_csv(org):
    EntityFactory()
    rc, out, _err = run("export", "entities", "--kind", "有限责任公司", "--no-personal")
    assert rc == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 1 and rows[0]["证件号码"] == "" and rows[0]["名称"]


def test_export_refuses_an_unknown_filter(org):
    rc, _out, err = run("export", "entities", "--unit", "999")
    assert rc == 2 and "监管单位代码「999」不存在" in err


def test_seed_adds_n_entities(org):
    rc, out, _err = run("seed", "--entities", "150", "--today", "2026-11-20")
    assert rc == 0 and "已生成 150 户市场主体" in out
    assert Entity.objects.count() == 150 == seeding.seeded_count()
    assert run("seed", "--entities", "0")[0] == 2
