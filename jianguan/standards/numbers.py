"""Standard numbers (标准编号) by kind, after the Standardization Law (2017) art. 2 and the numbering rules of each
kind (no Django here: fast to test). A number is the code, a serial (parts after dots) and the year of issue:

- national (国家标准): ``GB`` (mandatory), ``GB/T`` (recommended), ``GB/Z`` (guidance) — ``GB/T 19001-2016``;
- industry (行业标准): a two- or three-letter sector code, ``/T`` when recommended — ``QB/T 1234-2010``;
- local (地方标准): ``DB`` + the province's (or, since 2018, a city's) division code, ``/T`` when recommended —
  ``DB41/T 1234-2016``, ``DB4104/T 12-2021``; which prefixes this bureau accepts is rule
  ``standards.local_prefixes``;
- group (团体标准): ``T/`` + the group's code — ``T/CAS 115-2005``;
- enterprise (企业标准): ``Q/`` + the enterprise's code — ``Q/PDSGL 001-2021`` (a trailing S is common).
"""

from __future__ import annotations

import re

KINDS = ("national", "industry", "local", "group", "enterprise")
_SERIAL = r"(\d+(?:\.\d+)*)"
_YEAR = r"(\d{4})"
PATTERNS = {
    "national": re.compile(rf"^GB(/[TZ])? {_SERIAL}-{_YEAR}$"),
    "industry": re.compile(rf"^([A-Z]{{2,3}})(/T)? {_SERIAL}-{_YEAR}$"),
    "local": re.compile(rf"^DB(\d{{2}}|\d{{4}})(/T)? {_SERIAL}-{_YEAR}$"),
    "group": re.compile(rf"^T/([A-Z0-9]{{2,12}}) (\d+[A-Z]?(?:\.\d+)*)-{_YEAR}$"),
    "enterprise": re.compile(rf"^Q/([A-Z0-9]{{1,20}}) (\d+[A-Z]?(?:\.\d+)*)-{_YEAR}$"),
}
EXAMPLES = {"national": "GB/T 19001-2016", "industry": "QB/T 1234-2010", "local": "DB41/T 1234-2016",
            "group": "T/CAS 115-2005", "enterprise": "Q/PDSGL 001-2021"}
NOT_INDUSTRY = {"GB", "DB"}


def normalise(text: str) -> str:
    """Upper case, one space between the code and the serial, ASCII hyphen and slash."""
    s = (text or "").strip().upper().replace("／", "/").replace("—", "-").replace("－", "-").replace("–", "-")
    s = re.sub(r"\s+", " ", s)
    if " " in s:
        return s
    m = re.match(r"^(.*?)(\d+(?:\.\d+)*[A-Z]?-\d{4})$", s)  # the shortest code that leaves a serial-year
    return f"{m.group(1)} {m.group(2)}" if m and m.group(1) else s


def problem(kind: str, text: str, *, this_year: int, local_prefixes=("DB41",)) -> str | None:
    """Why ``text`` is not a standard number of ``kind``, or None."""
    if kind not in PATTERNS:
        return "标准类别应为国家标准、行业标准、地方标准、团体标准或企业标准"
    number = normalise(text)
    if not number:
        return "标准编号不能为空"
    m = PATTERNS[kind].match(number)
    if not m or (kind == "industry" and m.group(1) in NOT_INDUSTRY):
        return f"标准编号格式不符合{LABELS[kind]}的编号规则，应如 {EXAMPLES[kind]}"
    if kind == "local":
        prefix = number.split("/")[0].split(" ")[0]
        if prefix not in local_prefixes:
            return f"地方标准代号应为 {'、'.join(local_prefixes)}（本省/本市），{prefix} 不是"
    year = int(number.rsplit("-", 1)[1])
    if year < 1950 or year > this_year + 1:
        return f"标准编号中的年号 {year} 不合理"
    return None


LABELS = {"national": "国家标准", "industry": "行业标准", "local": "地方标准", "group": "团体标准",
          "enterprise": "企业标准"}
