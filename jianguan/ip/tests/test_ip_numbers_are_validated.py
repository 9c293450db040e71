import pytest

from jianguan.ip import numbers


def test_patent_check_character_matches_the_worked_example():
    assert numbers.patent_check("201080063196") == "9"
    assert numbers.patent_problem("ZL201080063196.9") is None
    assert numbers.patent_problem("CN 201080063196.9") is None
    assert numbers.normalise_patent("201080063196.9") == "ZL201080063196.9"


def test_patent_with_a_wrong_check_character_is_refused_with_the_right_one():
    assert "应为 9" in numbers.patent_problem("ZL201080063196.5")


@pytest.mark.parametrize("text", ["ZL2010800631.9", "ZL20108006319A.9", "专利201080063196", ""])
def test_malformed_patent_numbers_are_refused(text):
    assert numbers.patent_problem(text)


def test_patent_type_digit_must_be_a_known_type():
    digits = "201050063196"
    assert "专利类型" in numbers.patent_problem(f"ZL{digits}.{numbers.patent_check(digits)}")


def test_old_eight_digit_patent_numbers_are_accepted():
    digits = "98123456"
    assert numbers.patent_problem(f"ZL{digits}.{numbers.patent_check(digits)}") is None


@pytest.mark.parametrize("text", ["4409718", "第4409718号", "G1234567"])
def test_trademark_registration_numbers_accepted(text):
    assert numbers.trademark_problem(text) is None


@pytest.mark.parametrize("text", ["44O9718", "TM-4409718", "", "1234567890"])
def test_malformed_trademark_numbers_are_refused(text):
    assert numbers.trademark_problem(text)
