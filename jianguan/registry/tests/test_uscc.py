"""Tests of the USCC and licence-number checks (jianguan.registry.uscc). No database, no Django."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidFormat

from jianguan.registry import uscc

VECTOR = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "draw-v1-vector.json"

# Public codes of well-known organizations, recalled from public records and kept only because they pass both
# independent checks (a wrong recollection passes both with probability about 1/341).
REAL_CODES = [
    "91110000600037341L",  # python-stdnum's own example
    "914403001922038216",  # 华为技术有限公司
    "91440300708461136T",  # 深圳市腾讯计算机系统有限公司
    "91110108551385082Q",  # 北京百度网讯科技有限公司
    "91440300192185379H",  # 平安银行股份有限公司
    "12100000400000624D",  # 北京大学 (authority 1 机构编制, type 2 事业单位)
    "11100000000013127D",  # a central government body (authority 1, type 1 机关)
    "91330100799655058B",
    "91330100716105852F",
    "91310000717854505W",
    "91110000710935003U",
    "91110000802100433B",
    "9111000010001002XD",  # organization-code check character 'X' (C = 10)
    "91110108MA01G0FB09",  # organization-code check character '0' (C = 11), letters in the serial
]

XIAMEN_PILOT = "91350203M0001QAY9B"
VALID = "91410402MA3705264X"  # first candidate of the draw test vector


def reference_check_character(first17: str) -> str:
    """GB 32100-2015 §5 written out independently of the module under test."""
    weights = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)  # as listed in shared/domain.md §1
    total = sum(uscc.ALPHABET.index(ch) * w for ch, w in zip(first17, weights, strict=True))
    return uscc.ALPHABET[(31 - total % 31) % 31]


def with_checks(first16: str) -> str:
    """Complete 16 characters into a code whose two check characters are right."""
    first17 = first16 + uscc.org_code_check_character(first16[8:16])
    return first17 + reference_check_character(first17)


# --- The algorithms -------------------------------------------------------------------------------------------


def test_alphabet_and_weights_are_those_of_the_standard():
    assert uscc.ALPHABET == "0123456789ABCDEFGHJKLMNPQRTUWXY"
    assert len(uscc.ALPHABET) == 31
    assert not set("IOZSV") & set(uscc.ALPHABET)
    assert uscc._WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


@given(st.text(alphabet=uscc.ALPHABET, min_size=17, max_size=17))
def test_check_character_matches_the_standard_formula(first17):
    assert uscc.check_character(first17) == reference_check_character(first17)


@pytest.mark.parametrize(
    "bad", ["", "91410402MA370526", "91410402MA3705264X", "91410402ma3705264", "91410402MA37052I4"]
)
def test_check_character_refuses_malformed_input(bad):
    with pytest.raises(ValueError):
        uscc.check_character(bad)


@pytest.mark.parametrize(
    ("first8", "expected"),
    [("19220382", "1"), ("10001002", "X"), ("MA01G0FB", "0"), ("M0001QAY", "9"), ("MA370526", "4")],
)
def test_org_code_check_character(first8, expected):
    assert uscc.org_code_check_character(first8) == expected


def test_org_code_letters_are_valued_10_to_35_not_by_their_uscc_value():
    # GB 11714 values 'M' as 22: 22 × 3 = 66 ≡ 0 (mod 11) → C = 11 → '0'. With its USCC value, 21, it would be '3'.
    assert uscc.org_code_check_character("M0000000") == "0"


@pytest.mark.parametrize("bad", ["", "MA37052", "ma370526", "MA37052-"])
def test_org_code_check_character_refuses_malformed_input(bad):
    with pytest.raises(ValueError):
        uscc.org_code_check_character(bad)


# --- Valid codes ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("code", REAL_CODES)
def test_real_codes_are_valid(code):
    assert uscc.invalid_reason(code) is None
    assert uscc.is_valid(code)
    assert stdnum_uscc.is_valid(code)  # and stdnum agrees on the mod-31 character


def test_every_candidate_of_the_draw_vector_is_valid():
    if not VECTOR.exists():
        pytest.skip(f"{VECTOR} not present")
    manifest = json.loads(VECTOR.read_text(encoding="utf-8"))["manifest"]
    ids = [candidate["id"] for stratum in manifest["strata"] for candidate in stratum["candidates"]]
    assert len(ids) == 300
    assert {code: uscc.invalid_reason(code) for code in ids if not uscc.is_valid(code)} == {}
    assert all(stdnum_uscc.is_valid(code) for code in ids)


@pytest.mark.parametrize(
    ("authority", "entity_type"),
    [("N", "2"), ("A", "1"), ("Y", "1")],
)
def test_letter_authorities_are_valid_although_stdnum_validate_refuses_them(authority, entity_type):
    code = with_checks(authority + entity_type + "410402" + "MA000004")
    assert uscc.invalid_reason(code) is None
    # Pinned stdnum behaviour: validate() wants digits in positions 1–8 ...
    with pytest.raises(InvalidFormat):
        stdnum_uscc.validate(code)
    # ... but calc_check_digit(), which check_character() relies on, computes the right character regardless.
    assert stdnum_uscc.calc_check_digit(code[:17]) == code[17]


def test_parts():
    assert uscc.parts(" 91410402MA3705264X ") == {
        "authority": "9",
        "authority_name": "市场监督管理（原工商）",
        "entity_type": "1",
        "entity_type_name": "企业",
        "division": "410402",
        "organization_code": "MA3705264",
        "check": "X",
    }
    assert uscc.parts("12100000400000624D")["entity_type_name"] is None  # other authorities' types are not ours
    with pytest.raises(ValueError, match="长度应为18位"):
        uscc.parts("9141040")


# --- Invalid codes: one clear reason each ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "reason"),
    [
        ("", "统一社会信用代码为空"),
        ("   ", "统一社会信用代码为空"),
        ("91410402MA3705264", "长度应为18位，实为17位"),
        ("91410402MA3705264XY", "长度应为18位，实为19位"),
        ("91I10402MA3705264X", "第3位『I』不是统一社会信用代码允许的字符"),
        ("9141O402MA3705264X", "第5位『O』不是统一社会信用代码允许的字符"),
        ("91410402MA37 5264X", "第13位『 』不是统一社会信用代码允许的字符"),
        ("91410402-A3705264X", "第9位『-』不是统一社会信用代码允许的字符"),
        ("01410402MA3705264X", "登记管理部门代码『0』无效"),
        ("B1410402MA3705264X", "登记管理部门代码『B』无效"),
        ("94410402MA3705264X", "机构类别代码『4』无效（市场监管登记只有1企业、2个体工商户、3农民专业合作社）"),
        ("9141A402MA3705264X", "第3–8位行政区划码应为6位数字，实为『41A402』"),
        ("91410402MA3705265X", "第9–17位组织机构代码校验码应为『4』，实为『5』"),
        ("91410402MA370526AX", "第9–17位组织机构代码校验码应为『4』，实为『A』"),
        ("91410402MA3705264Y", "第18位校验码应为『X』，实为『Y』"),
    ],
)
def test_each_failure_gives_its_reason(code, reason):
    assert uscc.invalid_reason(code) == reason
    assert not uscc.is_valid(code)


def test_org_code_reason_is_reported_even_when_the_final_check_is_right():
    code = with_checks("91410402MA370526")
    broken = code[:16] + "6"
    broken = broken + reference_check_character(broken)  # mod-31 satisfied, GB 11714 not
    assert stdnum_uscc.is_valid(broken)  # which is why the organization code must be checked on top
    assert uscc.invalid_reason(broken) == "第9–17位组织机构代码校验码应为『4』，实为『6』"


def test_xiamen_pilot_code_is_flagged_not_silently_accepted():
    assert uscc.invalid_reason(XIAMEN_PILOT) == "第18位校验码应为『9』，实为『B』"
    assert not uscc.is_valid(XIAMEN_PILOT)
    assert uscc.parts(XIAMEN_PILOT)["organization_code"] == "M0001QAY9"  # still displayable


# --- Normalisation --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "pasted",
    [
        "９１４１０４０２ＭＡ３７０５２６４Ｘ",  # full-width, as from Word
        "９１４１０４０２ｍａ３７０５２６４ｘ",  # full-width lower case
        "\u3000９１４１０４０２ＭＡ３７０５２６４Ｘ\u3000",  # ideographic spaces
        " 91410402ma3705264x\t\n",
        "\ufeff91410402MA3705264X\u200b",  # byte-order mark and zero-width space
        "\xa091410402MA3705264X\xa0",  # no-break space
    ],
)
def test_pasted_input_is_normalised(pasted):
    assert uscc.normalize(pasted) == VALID
    assert uscc.invalid_reason(pasted) is None


def test_full_width_reason_names_the_half_width_character():
    assert uscc.invalid_reason("９１Ｉ１０４０２ＭＡ３７０５２６４Ｘ") == "第3位『I』不是统一社会信用代码允许的字符"


@given(st.text())
def test_normalize_is_idempotent(text):
    once = uscc.normalize(text)
    assert uscc.normalize(once) == once


@given(st.text(max_size=30))
def test_invalid_reason_never_raises_and_ignores_normalisation(text):
    reason = uscc.invalid_reason(text)
    assert reason is None or isinstance(reason, str)
    assert uscc.invalid_reason(uscc.normalize(text)) == reason


# --- Generation -----------------------------------------------------------------------------------------------

divisions = st.text(alphabet="0123456789", min_size=6, max_size=6)
serials = st.integers(min_value=0, max_value=uscc.SERIAL_LIMIT - 1)


@given(divisions, st.sampled_from("123"), serials)
def test_generated_codes_are_valid(division, entity_type, serial):
    code = uscc.generate(division, entity_type, serial)
    assert uscc.invalid_reason(code) is None
    assert code.startswith("9" + entity_type + division + "MA")


@given(st.sampled_from(sorted(uscc.AUTHORITIES)), st.sampled_from("1239"), divisions, serials)
def test_generated_codes_are_valid_for_every_authority(authority, entity_type, division, serial):
    if authority == "9" and entity_type == "9":
        entity_type = "1"
    assert uscc.invalid_reason(uscc.generate(division, entity_type, serial, authority)) is None


@given(serials, serials)
def test_generation_is_deterministic_injective_and_ordered(a, b):
    code_a, code_b = uscc.generate("410402", serial=a), uscc.generate("410402", serial=b)
    assert code_a == uscc.generate("410402", serial=a)
    assert (code_a == code_b) == (a == b)
    # the serial is written in base 31 with ALPHABET, which is in ASCII order, so codes sort as their serials
    assert (code_a < code_b) == (a < b)


def test_generation_edges():
    assert uscc.generate("410402", serial=0) == "91410402MA0000007W"
    assert uscc.generate("410402", serial=uscc.SERIAL_LIMIT - 1)[8:16] == "MAYYYYYY"


def test_every_possible_org_check_character_is_a_uscc_character():
    # why generate() never has to skip a serial: the GB 11714 check is always 0-9 or X
    assert set(uscc._ORG_CHECK_BY_REMAINDER) == set("0123456789X")
    assert set(uscc._ORG_CHECK_BY_REMAINDER) <= set(uscc.ALPHABET)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"division": "41040"}, "行政区划码应为6位数字"),
        ({"division": "41040A"}, "行政区划码应为6位数字"),
        ({"division": "４１０４０２"}, "行政区划码应为6位数字"),
        ({"division": "410402", "entity_type": "4"}, "机构类别代码『4』无效"),
        ({"division": "410402", "authority": "0"}, "登记管理部门代码『0』无效"),
        ({"division": "410402", "authority": "N", "entity_type": "I"}, "机构类别代码『I』"),
        ({"division": "410402", "serial": -1}, "serial"),
        ({"division": "410402", "serial": uscc.SERIAL_LIMIT}, "serial"),
    ],
)
def test_generate_refuses_bad_arguments(kwargs, message):
    with pytest.raises(ValueError, match=message):
        uscc.generate(**kwargs)


# --- A single changed character is always caught --------------------------------------------------------------

replacements = st.sampled_from(uscc.ALPHABET + "IOZSV-")


@given(divisions, st.sampled_from("123"), serials, st.integers(min_value=0, max_value=17), replacements)
def test_changing_any_one_character_of_a_valid_code_makes_it_invalid(division, entity_type, serial, position, new):
    code = uscc.generate(division, entity_type, serial)
    if code[position] == new:
        return
    changed = code[:position] + new + code[position + 1 :]
    assert uscc.invalid_reason(changed) is not None


@pytest.mark.parametrize("code", REAL_CODES)
def test_changing_any_one_character_of_a_real_code_makes_it_invalid(code):
    for position in range(18):
        for new in uscc.ALPHABET:
            if new != code[position]:
                assert not uscc.is_valid(code[:position] + new + code[position + 1 :]), (position, new)


# --- Licence numbers ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("number", ["SC10641040200015", "sc10641040200015", "ＳＣ１０６４１０４０２０００１５ "])
def test_food_production_licence_format(number):
    assert uscc.food_production_licence_reason(number) is None


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "食品生产许可证编号为空"),
        ("JY10641040200015", "食品生产许可证编号应以SC开头，实为『JY』"),
        (
            "SC1064104020001",
            "食品生产许可证编号应为16位（SC+14位数字：3位食品类别码+2位省+2位市+2位县+4位顺序码+1位校验码），实为15位",
        ),
        (
            "SC10641040200O15",
            "食品生产许可证编号第14位『O』应为数字（SC+14位数字：3位食品类别码+2位省+2位市+2位县+4位顺序码+1位校验码）",
        ),
    ],
)
def test_food_production_licence_reasons(number, reason):
    assert uscc.food_production_licence_reason(number) == reason


@pytest.mark.parametrize("number", ["JY24104020012345", "jy24104020012345", "ＪＹ２４１０４０２００１２３４５"])
def test_food_business_licence_format(number):
    assert uscc.food_business_licence_reason(number) is None


@pytest.mark.parametrize(
    ("number", "reason"),
    [
        ("", "食品经营许可证编号为空"),
        ("SC24104020012345", "食品经营许可证编号应以JY开头，实为『SC』"),
        (
            "JY241040200123456",
            "食品经营许可证编号应为16位（JY+14位数字：1位经营主体类型码+2位省+2位市+2位县+6位顺序码+1位校验码），实为17位",
        ),
        (
            "JYA4104020012345",
            "食品经营许可证编号第3位『A』应为数字（JY+14位数字：1位经营主体类型码+2位省+2位市+2位县+6位顺序码+1位校验码）",
        ),
    ],
)
def test_food_business_licence_reasons(number, reason):
    assert uscc.food_business_licence_reason(number) == reason
