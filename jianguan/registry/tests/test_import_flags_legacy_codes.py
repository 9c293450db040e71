"""A legacy code that is well formed but fails a check (its check character, or a type digit contradicting the
kind) is imported and flagged for review with the reason — never rejected, never "corrected"."""

import pytest

from jianguan.registry import importexport, uscc
from jianguan.registry.models import Entity

from .spreadsheets import code, row, write_csv, write_xlsx

pytestmark = pytest.mark.django_db


def _bad_check_character(good: str) -> str:
    wrong = next(c for c in uscc.ALPHABET if c != good[17])
    return good[:17] + wrong


@pytest.mark.parametrize("writer", [write_csv, write_xlsx], ids=["csv", "xlsx"])
def test_a_failing_check_character_is_kept_as_it_is_and_flagged(org, tmp_path, writer):
    legacy = _bad_check_character(code(1))
    assert not uscc.is_valid(legacy)
    path = writer(tmp_path / f"legacy.{writer.__name__.split('_')[1]}", [row(1, uscc=legacy), row(2)])

    result = importexport.import_entities(path)

    assert result.ok and result.created == 2 and result.flagged == 1
    entity = Entity.objects.get(uscc=legacy)  # stored exactly as given
    assert "第18位校验码应为" in entity.uscc_problem
    assert Entity.objects.get(uscc=code(2)).uscc_problem == ""
    assert result.flags[0].row == 2 and result.flags[0].column == "统一社会信用代码"
    assert "已导入并标记待复核" in result.summary()


def test_a_type_digit_contradicting_the_kind_is_flagged(org, tmp_path):
    individual_code = code(3, kind_digit="2")
    path = write_csv(tmp_path / "kind.csv", [row(3, uscc=individual_code, kind="有限责任公司")])
    result = importexport.import_entities(path)
    assert result.ok and result.flagged == 1
    assert "与主体类型「有限责任公司」不符" in Entity.objects.get(uscc=individual_code).uscc_problem


def test_a_dry_run_announces_the_flags_without_writing(org, tmp_path):
    path = write_csv(tmp_path / "legacy.csv", [row(1, uscc=_bad_check_character(code(1)))])
    result = importexport.import_entities(path, dry_run=True)
    assert result.ok and result.flagged == 1 and not Entity.objects.exists()
    assert "导入时将保留原代码并标记待复核" in result.summary()
