"""GB 11643 resident ID numbers: the MOD 11-2 check character, birth dates, and agreement with python-stdnum."""

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import ric

from jianguan.startup import idnumber


def test_known_valid_number():
    assert idnumber.is_valid("11010519491231002X")
    assert idnumber.check_character("11010519491231002") == "X"


def test_wrong_check_character_is_explained():
    assert idnumber.invalid_reason("110105194912310021") == "身份证号码校验码不正确"


def test_length_and_birth_date_are_checked():
    assert idnumber.invalid_reason("11010519491231") == "身份证号码应为 18 位"
    first17 = "41040219851332001"  # 13th month
    assert idnumber.invalid_reason(first17 + idnumber.check_character(first17)) == "身份证号码中的出生日期无效"


def test_lowercase_x_is_accepted():
    assert idnumber.is_valid("11010519491231002x")


@given(
    area=st.integers(110000, 659999), born=st.dates(dt.date(1920, 1, 1), dt.date(2010, 12, 31)), seq=st.integers(0, 999)
)
def test_check_character_agrees_with_stdnum(area, born, seq):
    first17 = f"{area}{born:%Y%m%d}{seq:03d}"
    number = first17 + idnumber.check_character(first17)
    assert ric.calc_check_digit(number) == number[-1]  # stdnum takes the full number
    assert idnumber.is_valid(number)
