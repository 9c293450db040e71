"""Resident identity card numbers (公民身份号码, GB 11643-1999). Pure Python.

18 characters: 6-digit address code, 8-digit birth date (YYYYMMDD), 3-digit sequence (odd for men, even for women)
and a check character. The check is ISO 7064 MOD 11-2: weights 2^(17-i) mod 11 for positions 1..17,
C = (12 − Σ mod 11) mod 11, and C = 10 is written 'X'.
"""

from __future__ import annotations

import datetime as dt

WEIGHTS = tuple(pow(2, 17 - i, 11) for i in range(17))  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
CHECK_CHARS = "0123456789X"


def check_character(first17: str) -> str:
    """The check character of the first 17 digits."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError("需要 17 位数字")
    total = sum(int(ch) * w for ch, w in zip(first17, WEIGHTS))
    return CHECK_CHARS[(12 - total % 11) % 11]


def invalid_reason(value: str, *, today: dt.date | None = None) -> str | None:
    """Why ``value`` is not a valid 18-digit ID number, in one Chinese sentence; None when it is valid."""
    value = (value or "").strip().upper()
    if len(value) != 18:
        return "身份证号码应为 18 位"
    if not value[:17].isdigit() or value[17] not in CHECK_CHARS:
        return "身份证号码前 17 位应为数字，末位为数字或 X"
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "身份证号码中的出生日期无效"
    if born > (today or dt.date.today()) or born.year < 1900:
        return "身份证号码中的出生日期无效"
    if check_character(value[:17]) != value[17]:
        return "身份证号码校验码不正确"
    return None


def is_valid(value: str) -> bool:
    return invalid_reason(value) is None


def birth_date(value: str) -> dt.date:
    return dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
