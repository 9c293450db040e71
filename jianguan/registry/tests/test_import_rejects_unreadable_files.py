"""A file that cannot be read as an entity list — wrong headers, merged cells, an old .xls, too big, empty —
stops before any row is loaded, says why in Chinese (naming the cell or column where there is one), exits 2, and
leaves the database as it was."""

import pytest

from jianguan.registry import importexport
from jianguan.registry.importexport import HEADERS

from .factories import EntityFactory
from .spreadsheets import row, snapshot, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def existing(org):
    EntityFactory.create_batch(2)
    return snapshot()


def _fatal(result):
    assert result.fatal and result.exit_code == 2 and not result.written
    return [str(p) for p in result.problems]


def test_wrong_headers_name_each_offending_column(existing, tmp_path):
    headers = list(HEADERS)
    headers[1] = "公司名"  # not a known header
    headers[12] = "注册资本"  # an alias of column G: a duplicate
    path = write_xlsx(tmp_path / "headers.xlsx", [row(1)], headers=headers)
    problems = _fatal(importexport.import_entities(path))
    assert any("第1行 B列「公司名」：不是可识别的列名" in p for p in problems), problems
    assert any("M列「注册资本」" in p and "与 G 列重复" in p for p in problems), problems
    assert any("缺少必需的列「名称」" in p for p in problems), problems
    assert any("缺少必需的列「行业代码」" in p for p in problems), problems
    assert snapshot() == existing


def test_a_title_row_above_the_headers_is_explained(existing, tmp_path):
    path = write_csv(tmp_path / "title.csv", [], headers=["平顶山市市场主体名录（2026年）"])
    problems = _fatal(importexport.import_entities(path))
    assert any("第1行必须是表头" in p for p in problems), problems
    assert snapshot() == existing


def test_merged_cells_are_refused_naming_the_range(existing, tmp_path):
    path = write_xlsx(tmp_path / "merged.xlsx", [row(1), row(2), row(3)], merge="J2:J4")
    result = importexport.import_entities(path)
    problems = _fatal(result)
    assert "合并单元格" in result.summary()
    assert any(p.startswith("第2行 J列「行政区划代码」") and "J2:J4 是合并单元格" in p for p in problems), problems
    assert snapshot() == existing


def test_an_old_xls_workbook_is_refused_with_what_to_do(existing, tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)
    problems = _fatal(importexport.import_entities(path))
    assert "另存为 .xlsx" in problems[0]
    assert snapshot() == existing


def test_a_file_named_xlsx_that_is_not_a_workbook_is_refused(existing, tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_text("统一社会信用代码,名称\n", encoding="utf-8")
    assert "不是 Excel 工作簿" in _fatal(importexport.import_entities(path))[0]


def test_an_empty_file_and_a_header_only_file_are_refused(existing, tmp_path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert "文件是空的" in _fatal(importexport.import_entities(empty))[0]
    header_only = write_csv(tmp_path / "header.csv", [])
    assert "没有数据行" in _fatal(importexport.import_entities(header_only))[0]
    assert snapshot() == existing


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(existing, tmp_path):
    path = write_csv(tmp_path / "big.csv", [row(i) for i in range(1, 400)])
    limit = path.stat().st_size - 1
    result = importexport.import_entities(path, max_bytes=limit)
    message = _fatal(result)[0]
    assert "超过上传上限" in message and "请拆分成多个文件" in message
    assert result.rows == 0
    assert snapshot() == existing


def test_a_utf16_csv_is_refused_with_the_right_excel_option(existing, tmp_path):
    path = write_csv(tmp_path / "u16.csv", [row(1)], encoding="utf-16")
    assert "CSV UTF-8" in _fatal(importexport.import_entities(path))[0]
    assert snapshot() == existing
