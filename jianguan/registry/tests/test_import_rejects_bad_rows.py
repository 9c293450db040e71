"""Every bad value in a row is reported with its row, column and a Chinese reason, the command-line exit code is
1, and — all or nothing — the database is exactly as it was, even though the other rows were valid."""

import datetime as dt

import pytest

from jianguan.registry import importexport
from jianguan.registry.models import Entity

from .factories import EntityFactory
from .spreadsheets import code, row, snapshot, write_csv, write_xlsx

pytestmark = pytest.mark.django_db

TOMORROW = (dt.date.today() + dt.timedelta(days=2)).isoformat()

# (case, overrides for row 3, header of the column blamed, words the message must contain)
CASES = [
    ("code too short", {"uscc": "91410402MA000001"}, "统一社会信用代码", "应为18位"),
    ("code with a letter the alphabet excludes", {"uscc": "91410402MA00000I1X"}, "统一社会信用代码", "格式错误"),
    ("code empty", {"uscc": ""}, "统一社会信用代码", "不能为空"),
    ("unknown division", {"division": "410499"}, "行政区划代码", "「410499」不存在"),
    ("division not a county", {"division": "410400"}, "行政区划代码", "不是县级区划"),
    ("unknown industry", {"industry": "99"}, "行业代码", "「99」不存在"),
    ("industry not a code", {"industry": "零售"}, "行业代码", "GB/T 4754"),
    ("future establishment date", {"established": TOMORROW}, "成立日期", "晚于今天"),
    ("date not a date", {"established": "2020年13月1日"}, "成立日期", "不是有效日期"),
    ("negative capital", {"capital": "-5"}, "注册资本（万元）", "不能为负数"),
    ("capital not a number", {"capital": "一百万"}, "注册资本（万元）", "应为数字"),
    ("unknown kind", {"kind": "有限公司（测试）"}, "主体类型", "主体类型无效"),
    ("unknown unit", {"unit": "41049999"}, "监管单位代码", "不存在"),
    ("closed without a date", {"status": "注销"}, "状态变更日期", "必须填写状态变更日期"),
    ("name missing", {"name": ""}, "名称", "名称不能为空"),
]


@pytest.fixture
def existing(org):
    EntityFactory.create_batch(3)
    return snapshot()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize(("case", "overrides", "column", "words"), CASES, ids=[c[0] for c in CASES])
def test_a_bad_value_is_reported_by_row_and_column_and_nothing_is_written(
        existing, tmp_path, fmt, case, overrides, column, words):
    rows = [row(1), row(2, **overrides), row(3)]
    writer = write_csv if fmt == "csv" else write_xlsx
    path = writer(tmp_path / f"in.{fmt}", rows)

    result = importexport.import_entities(path)

    assert result.exit_code == 1 and not result.written
    assert result.invalid_rows == 1
    problem = result.problems[0]
    assert problem.row == 3, str(problem)  # the header is row 1, the bad row is the second data row
    assert problem.column == column
    assert problem.letter == importexport.column_letter(importexport.HEADERS.index(column))
    assert words in problem.message, str(problem)
    assert str(problem).startswith(f"第3行 {problem.letter}列「{column}」")
    assert snapshot() == existing


def test_a_code_twice_in_the_file_is_an_error_on_the_second_row(existing, tmp_path):
    path = write_csv(tmp_path / "dup.csv", [row(1), row(2), row(3, uscc=code(1))])
    result = importexport.import_entities(path)
    assert result.exit_code == 1
    assert [(p.row, p.column) for p in result.problems] == [(4, "统一社会信用代码")]
    assert "与第2行的统一社会信用代码重复" in result.problems[0].message
    assert snapshot() == existing


def test_a_code_already_in_the_registry_is_an_error(existing, tmp_path):
    taken = Entity.objects.first().uscc
    path = write_csv(tmp_path / "taken.csv", [row(1, uscc=taken)])
    result = importexport.import_entities(path)
    assert result.exit_code == 1 and result.problems[0].row == 2
    assert "已在市场主体库中登记" in result.problems[0].message
    assert snapshot() == existing


def test_every_problem_of_the_file_is_listed_not_only_the_first(existing, tmp_path):
    rows = [row(i, capital="-1") if i % 2 else row(i) for i in range(1, 11)]
    rows[0]["行业代码"] = "99"
    result = importexport.import_entities(write_csv(tmp_path / "many.csv", rows))
    assert result.invalid_rows == 5 and result.problem_count == 6
    assert [(p.row, p.column) for p in result.problems[:2]] == [(2, "注册资本（万元）"), (2, "行业代码")]
    assert {p.row for p in result.problems} == {2, 4, 6, 8, 10}
    assert snapshot() == existing


def test_a_bad_row_in_a_later_batch_rolls_back_the_rows_already_written(existing, tmp_path, monkeypatch):
    monkeypatch.setattr(importexport, "BATCH", 5)  # rows 2–6 are written before row 13 is read
    rows = [row(i) for i in range(1, 13)] + [row(13, industry="99")]
    result = importexport.import_entities(write_csv(tmp_path / "late.csv", rows))
    assert result.exit_code == 1 and result.problems[0].row == 14
    assert snapshot() == existing
