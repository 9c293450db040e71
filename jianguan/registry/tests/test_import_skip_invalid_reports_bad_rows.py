"""``skip_invalid`` loads the good rows, and writes the bad ones to a report (CSV or Excel) with their original
row number and the reasons; once fixed, the report imports as it is."""

import csv

import openpyxl
import pytest

from jianguan.core.models import AuditEntry
from jianguan.registry import importexport
from jianguan.registry.models import Entity

from .spreadsheets import code, row, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed(org, tmp_path):
    rows = [row(1), row(2, industry="99"), row(3), row(4, capital="-1", established="2999-01-01"), row(5)]
    return write_csv(tmp_path / "mixed.csv", rows)


def test_good_rows_are_loaded_and_bad_rows_reported(mixed, tmp_path):
    report = tmp_path / "report.csv"
    result = importexport.import_entities(mixed, skip_invalid=True, report_path=report)

    assert result.written and result.created == 3 and result.invalid_rows == 2
    assert result.exit_code == 1  # the command still says not everything was loaded
    assert set(Entity.objects.values_list("uscc", flat=True)) == {code(1), code(3), code(5)}
    with report.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.DictReader(fh))
    assert [line["原行号"] for line in lines] == ["3", "5"]
    assert lines[0]["问题说明"] == "行业代码：行业代码「99」不存在（GB/T 4754-2017 大类为 01–97）"
    assert "注册资本（万元）：注册资本不能为负数" in lines[1]["问题说明"]
    assert "成立日期：成立日期晚于今天" in lines[1]["问题说明"]
    assert lines[1]["统一社会信用代码"] == code(4)  # the row as it was, to fix in place
    entry = AuditEntry.objects.filter(action="registry.entity.imported").latest("id")
    assert entry.changes["created"] == [None, 3] and entry.changes["invalid_rows_skipped"] == [None, 2]


def test_the_fixed_report_imports_as_it_is(mixed, tmp_path):
    report = tmp_path / "report.xlsx"
    importexport.import_entities(mixed, skip_invalid=True, report_path=report)
    wb = openpyxl.load_workbook(report)
    ws = wb.active
    headers = [c.value for c in ws[1]]
    ws.cell(2, headers.index("行业代码") + 1, "52")
    ws.cell(3, headers.index("注册资本（万元）") + 1, "10")
    ws.cell(3, headers.index("成立日期") + 1, "2019-01-01")
    wb.save(report)

    again = importexport.import_entities(report)

    assert again.ok and again.created == 2, [str(p) for p in again.problems]
    assert Entity.objects.count() == 5


def test_no_report_file_is_left_when_every_row_is_good(org, tmp_path):
    path = write_csv(tmp_path / "good.csv", [row(1), row(2)])
    report = tmp_path / "report.csv"
    result = importexport.import_entities(path, skip_invalid=True, report_path=report)
    assert result.ok and result.created == 2 and not report.exists() and result.report_path == ""
