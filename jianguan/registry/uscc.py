"""Unified Social Credit Code (统一社会信用代码) and licence-number checks.

Pure Python, no Django, so it is fast to test and to benchmark.

The Unified Social Credit Code (USCC) is defined by GB 32100-2015 《法人和其他组织统一社会信用代码编码规则》:
18 characters from ``ALPHABET`` (digits and capital letters without I, O, Z, S, V), valued 0..30 in that order.

=========  ===========================================================================
positions  meaning
=========  ===========================================================================
1          registration authority (登记管理部门代码): 1–9, A, N, Y; 9 = market regulation
2          entity type (机构类别代码); under authority 9: 1 enterprise, 2 individual
           business (个体工商户), 3 farmers' cooperative (农民专业合作社)
3–8        administrative division code of the registering authority (GB/T 2260), digits
9–17       organization code (组织机构代码, GB 11714-1997); position 17 is its own check
           character
18         check character, mod 31 over positions 1–17
=========  ===========================================================================

Existing registry data is *flagged, not rejected*: :func:`invalid_reason` says what is wrong in one Chinese sentence
so an import can store the code together with the reason (some genuine early pilot codes, e.g. Xiamen's
``91350203M0001QAY9B``, fail the mod-31 check). A new registration must get a valid code: :func:`generate`.

The mod-31 character comes from python-stdnum (``stdnum.cn.uscc``), as the project decided; the embedded
organization-code check, which stdnum does not do, is added on top. See :func:`check_character` for why we call
stdnum's ``calc_check_digit`` rather than its ``validate``.
"""

from __future__ import annotations

from functools import lru_cache

from stdnum.cn import uscc as _stdnum_uscc

__all__ = [
    "ALPHABET",
    "AUTHORITIES",
    "MARKET_ENTITY_TYPES",
    "SERIAL_LIMIT",
    "check_character",
    "food_business_licence_reason",
    "food_production_licence_reason",
    "generate",
    "invalid_reason",
    "is_valid",
    "normalize",
    "org_code_check_character",
    "parts",
]

#: GB 32100-2015: the 31 code characters, valued 0..30 in this order (no I, O, Z, S, V).
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}
_ALLOWED = frozenset(ALPHABET)

#: GB 32100-2015: the weight of position i (0-based) is 3^i mod 31.
_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))

#: GB 32100-2015 registration authority codes (登记管理部门代码); the names are for display.
AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "市场监督管理（原工商）",
    "A": "中央军委改革和编制办公室",
    "N": "农业农村",
    "Y": "其他",
}

#: Entity types under authority 9, the only authority whose codes this platform issues. The other authorities'
#: types are their business: we display them but do not validate them.
MARKET_ENTITY_TYPES = {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"}

#: GB 11714-1997: the organization code body is digits and capital letters, letters valued A=10 … Z=35
#: (note: NOT the USCC values), weighted 3, 7, 9, 10, 5, 8, 4, 2.
_ORG_VALUE = {ch: int(ch, 36) for ch in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"}
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
#: C = 11 − (Σ mod 11), with C = 10 written 'X' and C = 11 written '0'; indexed by Σ mod 11.
_ORG_CHECK_BY_REMAINDER = tuple("0" if c == 11 else "X" if c == 10 else str(c) for c in (11 - r for r in range(11)))

# Staff paste codes from Word and WPS: full-width letters and digits (ＡＢＣ１２３), the ideographic space, and
# invisible zero-width characters. Map the former to ASCII and drop the latter before anything else.
_PASTE_CLEANUP = {0xFF01 + i: 0x21 + i for i in range(94)} | {
    0x3000: " ",
    0x200B: None,
    0x200C: None,
    0x200D: None,
    0x2060: None,
    0xFEFF: None,
}


def normalize(code: str) -> str:
    """Return ``code`` as it should be stored: full-width → half-width, zero-width characters dropped,
    surrounding whitespace stripped, upper case. Idempotent; it does not check anything."""
    if not code.isascii():
        code = code.translate(_PASTE_CLEANUP)
    return code.strip().upper()


def check_character(first17: str) -> str:
    """The 18th character for ``first17`` (GB 32100-2015): ``(31 − Σ value_i × 3^i mod 31) mod 31``,
    mapped back through :data:`ALPHABET`.

    Computed by python-stdnum's ``stdnum.cn.uscc.calc_check_digit``. We deliberately do not use stdnum's
    ``validate``/``is_valid``: they demand that positions 1–8 be digits, which refuses legitimate codes issued by
    authorities A (military), N (agriculture: rural collective economic organizations) and Y (others), e.g.
    ``N2410402MA000004XL``. ``calc_check_digit`` makes no such demand (it only strips spaces and hyphens and looks
    characters up), so we do the format checks ourselves — they know about A, N and Y — and ask stdnum only for
    the character. The tests pin this behaviour so that an stdnum upgrade which starts refusing such forms fails
    loudly instead of silently rejecting real codes.
    """
    if len(first17) != 17 or not _ALLOWED.issuperset(first17):
        raise ValueError(f"expected 17 characters from {ALPHABET}, got {first17!r}")
    return _stdnum_uscc.calc_check_digit(first17)


def org_code_check_character(first8: str) -> str:
    """The 9th character of an organization code (GB 11714-1997) for its first 8 characters:
    C = 11 − (Σ value × weight mod 11), weights 3, 7, 9, 10, 5, 8, 4, 2; C = 10 → 'X', C = 11 → '0'."""
    if len(first8) != 8 or not all(ch in _ORG_VALUE for ch in first8):
        raise ValueError(f"expected 8 digits or capital letters, got {first8!r}")
    total = sum(_ORG_VALUE[ch] * w for ch, w in zip(first8, _ORG_WEIGHTS, strict=True))
    return _ORG_CHECK_BY_REMAINDER[total % 11]


def _authority_and_type_reason(authority: str, entity_type: str) -> str | None:
    if authority not in AUTHORITIES:
        return f"登记管理部门代码『{authority}』无效"
    if authority == "9" and entity_type not in MARKET_ENTITY_TYPES:
        return f"机构类别代码『{entity_type}』无效（市场监管登记只有1企业、2个体工商户、3农民专业合作社）"
    return None


def invalid_reason(code: str) -> str | None:
    """``None`` if ``code`` is a valid USCC, otherwise one Chinese sentence naming the first thing wrong.

    The input is normalised first (:func:`normalize`). Checks, in order: length; every character in the
    alphabet; registration authority; entity type (authority 9 only); division digits; the embedded
    organization code's check character (GB 11714); the 18th check character (GB 32100, via stdnum).
    """
    code = normalize(code)
    if not code:
        return "统一社会信用代码为空"
    if len(code) != 18:
        return f"长度应为18位，实为{len(code)}位"
    if not _ALLOWED.issuperset(code):
        position, ch = next((i, ch) for i, ch in enumerate(code, start=1) if ch not in _ALLOWED)
        return f"第{position}位『{ch}』不是统一社会信用代码允许的字符"
    reason = _authority_and_type_reason(code[0], code[1])
    if reason:
        return reason
    if not code[2:8].isdigit():  # isascii() holds after the alphabet check, so this means 0-9 only
        return f"第3–8位行政区划码应为6位数字，实为『{code[2:8]}』"
    expected = org_code_check_character(code[8:16])
    if code[16] != expected:
        return f"第9–17位组织机构代码校验码应为『{expected}』，实为『{code[16]}』"
    expected = check_character(code[:17])
    if code[17] != expected:
        return f"第18位校验码应为『{expected}』，实为『{code[17]}』"
    return None


_ORG_PAIRS = tuple(zip(range(8, 16), _ORG_WEIGHTS, strict=True))


def quick_valid(code: str) -> bool:
    """The same answer as ``invalid_reason(code) is None`` for an already normalised code, without python-stdnum
    and without building a reason: the importer's fast path for the usual case (a valid code), about ten times
    cheaper. Anything it does not accept goes through :func:`invalid_reason`, which says why. The tests check the
    two agree."""
    if len(code) != 18 or not _ALLOWED.issuperset(code):
        return False
    authority = code[0]
    if authority not in AUTHORITIES or (authority == "9" and code[1] not in MARKET_ENTITY_TYPES):
        return False
    if not code[2:8].isdigit():
        return False
    org_value = _ORG_VALUE
    total = 0
    for i, w in _ORG_PAIRS:
        total += org_value[code[i]] * w
    if code[16] != _ORG_CHECK_BY_REMAINDER[total % 11]:
        return False
    value = _VALUE
    total = 0
    for i, w in enumerate(_WEIGHTS):
        total += value[code[i]] * w
    return code[17] == ALPHABET[-total % 31]


def is_valid(code: str) -> bool:
    """Whether ``code`` (after :func:`normalize`) is a valid USCC; :func:`invalid_reason` says why not."""
    return invalid_reason(code) is None


def parts(code: str) -> dict[str, str | None]:
    """Split a normalised 18-character code into its parts for display; does not validate (legacy codes that
    fail a check are still shown). Raises ``ValueError`` if the code is not 18 characters long."""
    code = normalize(code)
    if len(code) != 18:
        raise ValueError(f"长度应为18位，实为{len(code)}位")
    authority, entity_type = code[0], code[1]
    return {
        "authority": authority,
        "authority_name": AUTHORITIES.get(authority),
        "entity_type": entity_type,
        "entity_type_name": MARKET_ENTITY_TYPES.get(entity_type) if authority == "9" else None,
        "division": code[2:8],
        "organization_code": code[8:17],
        "check": code[17],
    }


# --- Generation -------------------------------------------------------------------------------------------------
#
# generate() builds organization code "MA" + 6 serial characters + GB 11714 check, then the mod-31 check. Every
# character of ALPHABET is also a legal organization-code character, and the GB 11714 check is always one of
# 0-9 or X — all of which are in ALPHABET — so every serial yields a valid code and no serial ever needs skipping
# (the test suite asserts this for all 11 remainders). Serial → code is therefore a bijection onto the "MA" codes
# of one authority/type/division, and the codes of consecutive serials sort in serial order.
#
# A seeder calls generate() a million times, so it does not go through check_character() (stdnum cleans its
# input and costs several µs per call). Instead the weighted sums are precomputed: once per prefix (authority,
# type, division, "MA") and per pair of serial characters (three tables of 31² entries). The tests check the
# result against invalid_reason(), i.e. against stdnum.

#: generate() accepts serials 0 ≤ serial < SERIAL_LIMIT (six base-31 characters).
SERIAL_LIMIT = 31**6
_PAIRS = 31 * 31


def _pair_table(first: int) -> tuple[tuple[str, int, int], ...]:
    """For the serial characters at 0-based USCC positions ``first`` and ``first + 1`` (organization-code
    positions ``first - 8`` and ``first - 7``): (characters, USCC weighted sum, GB 11714 weighted sum)."""
    table = []
    for n in range(_PAIRS):
        pair = ALPHABET[n // 31] + ALPHABET[n % 31]
        uscc_sum = sum(_VALUE[ch] * _WEIGHTS[first + i] for i, ch in enumerate(pair))
        org_sum = sum(_ORG_VALUE[ch] * _ORG_WEIGHTS[first - 8 + i] for i, ch in enumerate(pair))
        table.append((pair, uscc_sum, org_sum))
    return tuple(table)


_PAIR_TABLES = (_pair_table(10), _pair_table(12), _pair_table(14))
#: Indexed by the organization-code sum mod 11: (check character, its weighted value at USCC position 17).
_ORG_CHECK_TERMS = tuple((ch, _VALUE[ch] * _WEIGHTS[16]) for ch in _ORG_CHECK_BY_REMAINDER)


@lru_cache(maxsize=4096)
def _generation_prefix(authority: str, entity_type: str, division: str) -> tuple[str, int, int]:
    """Validate the fixed part of generated codes; return it with its USCC and organization-code sums."""
    reason = _authority_and_type_reason(authority, entity_type)
    if reason:
        raise ValueError(reason)
    if len(entity_type) != 1 or entity_type not in _ALLOWED:
        raise ValueError(f"机构类别代码『{entity_type}』应为1位统一社会信用代码字符")
    if len(division) != 6 or not (division.isascii() and division.isdigit()):
        raise ValueError(f"行政区划码应为6位数字，实为『{division}』")
    prefix = authority + entity_type + division + "MA"
    uscc_sum = sum(_VALUE[ch] * w for ch, w in zip(prefix, _WEIGHTS[:10], strict=True))
    org_sum = _ORG_VALUE["M"] * _ORG_WEIGHTS[0] + _ORG_VALUE["A"] * _ORG_WEIGHTS[1]
    return prefix, uscc_sum, org_sum


def generate(division: str, entity_type: str = "1", serial: int = 0, authority: str = "9") -> str:
    """A valid USCC for ``serial`` (0 ≤ serial < :data:`SERIAL_LIMIT`), deterministically.

    Organization code: ``MA`` + ``serial`` written as six base-31 characters of :data:`ALPHABET` (so never I, O,
    Z, S or V) + its GB 11714 check character; then the GB 32100 check character. Different serials give
    different codes. Raises ``ValueError`` for a bad division, authority, entity type or serial.
    """
    prefix, uscc_sum, org_sum = _generation_prefix(authority, entity_type, division)
    if not 0 <= serial < SERIAL_LIMIT:
        raise ValueError(f"serial must be in [0, {SERIAL_LIMIT}), got {serial}")
    high, low = divmod(serial, _PAIRS)
    high, middle = divmod(high, _PAIRS)
    c1, u1, o1 = _PAIR_TABLES[0][high]
    c2, u2, o2 = _PAIR_TABLES[1][middle]
    c3, u3, o3 = _PAIR_TABLES[2][low]
    org_check, u4 = _ORG_CHECK_TERMS[(org_sum + o1 + o2 + o3) % 11]
    return prefix + c1 + c2 + c3 + org_check + ALPHABET[-(uscc_sum + u1 + u2 + u3 + u4) % 31]


# --- Licence numbers --------------------------------------------------------------------------------------------
#
# The check-digit algorithms of both licence numbers are not published (shared/domain.md §1): format only.

_FOOD_PRODUCTION_LAYOUT = "3位食品类别码+2位省+2位市+2位县+4位顺序码+1位校验码"
_FOOD_BUSINESS_LAYOUT = "1位经营主体类型码+2位省+2位市+2位县+6位顺序码+1位校验码"
_DIGITS = frozenset("0123456789")


def _licence_reason(number: str, prefix: str, name: str, layout: str) -> str | None:
    number = normalize(number)
    if not number:
        return f"{name}编号为空"
    if not number.startswith(prefix):
        return f"{name}编号应以{prefix}开头，实为『{number[:2]}』"
    if len(number) != 16:
        return f"{name}编号应为16位（{prefix}+14位数字：{layout}），实为{len(number)}位"
    for position, ch in enumerate(number[2:], start=3):
        if ch not in _DIGITS:
            return f"{name}编号第{position}位『{ch}』应为数字（{prefix}+14位数字：{layout}）"
    return None


def food_production_licence_reason(number: str) -> str | None:
    """``None`` if ``number`` has the format of a food production licence number (食品生产许可证编号,
    《食品生产许可管理办法》): ``SC`` + 3-digit food category + 2-digit province + 2-digit city +
    2-digit county + 4-digit sequence + 1 check digit; otherwise the reason in Chinese. Format only."""
    return _licence_reason(number, "SC", "食品生产许可证", _FOOD_PRODUCTION_LAYOUT)


def food_business_licence_reason(number: str) -> str | None:
    """``None`` if ``number`` has the format of a food business licence number (食品经营许可证编号,
    《食品经营许可和备案管理办法》): ``JY`` + 1-digit business type + 2-digit province + 2-digit city +
    2-digit county + 6-digit sequence + 1 check digit; otherwise the reason in Chinese. Format only: the meaning of
    the business-type digit is unconfirmed (shared/domain.md §1), so any digit is accepted."""
    return _licence_reason(number, "JY", "食品经营许可证", _FOOD_BUSINESS_LAYOUT)
