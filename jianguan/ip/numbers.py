"""Numbers of IP rights (no Django here: fast to test).

- A trademark registration number (商标注册号) is the serial the CNIPA's Trademark Office gives a registered mark:
  digits only (``第4409718号`` is written 4409718), or ``G`` + digits for an international registration extended
  to China under the Madrid system.
- A Chinese patent number (专利号) is ``ZL`` + the application number: 12 digits since 1 October 2003 (year, type,
  7-digit serial) or 8 digits before (2-digit year, type, 5-digit serial), then ``.`` and a check character. The
  check is Σ digitᵢ × wᵢ mod 11 with weights 2, 3, … 9, 2, 3, … from the left; a remainder of 10 is written ``X``.
  (Worked example: 201080063196 → 9.)
"""

from __future__ import annotations

import re

_TRADEMARK = re.compile(r"^G?\d{1,9}$")
_PATENT = re.compile(r"^(?:ZL|CN)?(\d{8}|\d{12})\.?([0-9X])$")
PATENT_TYPES = {"1": "发明", "2": "实用新型", "3": "外观设计", "8": "PCT 发明", "9": "PCT 实用新型"}


def normalise_trademark(text: str) -> str:
    text = (text or "").strip().upper().replace(" ", "")
    if text.startswith("第") and text.endswith("号"):
        text = text[1:-1]
    return text


def trademark_problem(text: str) -> str | None:
    """Why ``text`` is not a trademark registration number, or None."""
    number = normalise_trademark(text)
    if not number:
        return "商标注册号不能为空"
    if not _TRADEMARK.match(number):
        return "商标注册号应为数字（国际注册为 G 加数字），如 4409718"
    return None


def patent_check(digits: str) -> str:
    total = sum(int(d) * (2 + i % 8) for i, d in enumerate(digits))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def normalise_patent(text: str) -> str:
    """``ZL201080063196.9`` for any accepted spelling (with or without ZL/CN, dot, spaces)."""
    number = (text or "").strip().upper().replace(" ", "")
    m = _PATENT.match(number)
    if not m:
        return number
    return f"ZL{m.group(1)}.{m.group(2)}"


def patent_problem(text: str) -> str | None:
    """Why ``text`` is not a valid Chinese patent number, or None."""
    number = (text or "").strip().upper().replace(" ", "")
    if not number:
        return "专利号不能为空"
    m = _PATENT.match(number)
    if not m:
        return "专利号格式应为 ZL + 12 位（2003 年 10 月前为 8 位）申请号 + . + 校验位，如 ZL201080063196.9"
    digits, check = m.groups()
    kind = digits[4] if len(digits) == 12 else digits[2]
    if kind not in PATENT_TYPES:
        return f"专利号第 {5 if len(digits) == 12 else 3} 位（专利类型）应为 1、2、3、8 或 9"
    expected = patent_check(digits)
    if check != expected:
        return f"专利号校验位有误：按申请号计算应为 {expected}"
    return None
