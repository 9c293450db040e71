"""Rules of enforcement (SAMR Order 2, docs/domain §5). Imported from ``EnforcementConfig.ready``.

Every period, threshold and discretion range is a rule with its source and confidence (C confirmed, S secondary,
U unconfirmed); bureaus override any value from an effective date in 工作台 › 业务规则参数. Periods in working days go
through ``core.workdays.add_workdays``; periods in days through ``core.workdays.period_end`` (start day not counted,
a period ending on a rest day ends on the next working day).
"""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

from jianguan.core.rules import define, rule

ORDER_2 = "《市场监督管理行政处罚程序规定》（市场监管总局令第2号，2022年修正）"
APL = "《中华人民共和国行政处罚法》（2021年修订）"
COERCION = "《中华人民共和国行政强制法》"

define("enforcement.lead_filing_days", 15,
       "案源（线索）核查并决定是否立案的期限（自发现线索或者收到材料之日起的工作日；经负责人批准可延长 15 个工作日；"
       "检测、检验、检疫、鉴定以及权利人辨认或者鉴别的时间不计入）",
       source=f"{ORDER_2}第十八条第一款、第二款", confidence="C")
define("enforcement.lead_extension_days", 15, "立案决定期限特殊情况下经市场监督管理部门负责人批准可延长（工作日）",
       source=f"{ORDER_2}第十八条第一款", confidence="C")
define("enforcement.decision_days", 90, "普通程序案件自立案之日起作出处理决定的期限（日；中止、听证、公告和检测、检验、检疫、"
       "鉴定、权利人辨认或者鉴别、责令退还多收价款等时间不计入）",
       source=f"{ORDER_2}第六十四条第一款、第二款", confidence="C")
define("enforcement.decision_extension_days", 30, "处理决定期限经负责人批准可延长（日）；再延长须负责人集体讨论决定",
       source=f"{ORDER_2}第六十四条第一款", confidence="C")
define("enforcement.min_officers", 2, "案件办案人员（持有效执法证件）最少人数",
       source=f"{APL}第四十二条；{ORDER_2}第二十条", confidence="C")
define("enforcement.seizure_days", 30, "查封、扣押期限（日；检测、检验、检疫或者技术鉴定的期间不计入）",
       source=f"{COERCION}第二十五条第一款、第三款", confidence="C")
define("enforcement.seizure_extension_days", 30, "查封、扣押情况复杂的，经行政机关负责人批准可延长（日，不得超过）",
       source=f"{COERCION}第二十五条第一款", confidence="C")
define("enforcement.legal_review_workdays", 10, "法制审核期限（工作日，自收到送审材料之日起）",
       source=f"{APL}第五十八条（作出决定前应当进行法制审核）未规定审核时限；{ORDER_2}中关于审核期限的条款未能与公布文本"
              "核对：十个工作日为本平台默认值（多地法制审核办法的做法），由本局设定", confidence="U")
define("enforcement.reply_workdays", 5, "当事人陈述、申辩及要求听证的期限（工作日，自事先告知书送达之日起）",
       source=f"{APL}第六十四条第一项（告知后五日内提出）、第八十五条（“五日”指工作日）", confidence="C")
define("enforcement.hearing_notice_workdays", 7, "举行听证的七日前通知当事人听证的时间、地点（工作日）",
       source=f"{APL}第六十四条第二项、第八十五条（“七日”指工作日）", confidence="C")
define("enforcement.decision_service_workdays", 7,
       "当事人不在场的，行政处罚决定书自作出之日起送达的期限（工作日；在场的宣告后当场交付）",
       source=f"{APL}第六十一条第一款、第八十五条（“七日”指工作日）", confidence="C")
define("enforcement.announcement_service_days", 30, "公告送达：自发出公告之日起经过此日数即视为送达（日）",
       source=f"{APL}第六十一条第一款（依照民事诉讼法送达）；《中华人民共和国民事诉讼法》第九十五条（2021年修正起为三十日）",
       confidence="S")
define("enforcement.heavy_fine", {"individual": 10000, "organisation": 100000},
       "较大数额罚款（可要求听证）：自然人 / 法人或者其他组织（元，达到即为较大数额）",
       source=f"{APL}第六十三条第一款第一项（较大数额由各地规定）；各省标准不一", confidence="U")
define("enforcement.heavy_kinds",
       ["confiscate_goods", "downgrade", "licence_suspension", "licence_revocation", "restrict_business",
        "suspension", "closure", "restrict_employment"],
       "可要求听证的处罚种类（另有较大数额罚款、没收较大数额违法所得）", source=f"{APL}第六十三条", confidence="C")
define("enforcement.simplified_limits", {"individual": 200, "organisation": 3000, "since": "2021-07-15"},
       "简易程序（当场处罚）限额：警告或者罚款不超过 自然人 / 法人或者其他组织（元）",
       source=f"{APL}第五十一条（2021年7月15日起施行）", confidence="C")
define("enforcement.payment_days", 15, "当事人缴纳罚款期限（日，自收到处罚决定书之日起）",
       source=f"{APL}第六十七条第三款", confidence="C")
define("enforcement.light_fine_max", {"individual": 1000, "organisation": 10000},
       "“较低数额罚款”上限（元，含本数）：仅通报批评或者较低数额罚款的，公示期 3 个月（自然人 / 法人或者其他组织）",
       source="《市场监督管理行政处罚信息公示规定》（总局令第45号）第十三条：较低数额罚款由省级市场监督管理部门规定",
       confidence="U")
define("enforcement.credit_on_decision", True, "处罚决定后立即重算当事人信用风险分类", source="本平台默认值",
       confidence="U")

CASE_TYPES = [
    ["counterfeit_goods", "生产销售假冒伪劣商品"],
    ["false_advertising", "虚假广告"],
    ["online_trading", "网络交易违法"],
    ["illegal_fees", "涉企违规收费"],
    ["price_gouging", "哄抬价格等价格违法"],
    ["trademark", "商标侵权"],
    ["patent_counterfeit", "假冒专利"],
    ["food", "食品安全违法"],
    ["drugs", "药品违法"],
    ["special_equipment", "特种设备安全违法"],
    ["product_quality", "产品质量违法"],
    ["metrology", "计量违法"],
    ["unlicensed", "无照无证经营"],
    ["other", "其他违法行为"],
]
define("enforcement.case_types", CASE_TYPES, "案件类型（代码、名称）",
       source="无法律条款规定案件分类：本平台默认分类（各类型所适用的罚则见 enforcement.discretion）", confidence="U")

# The discretion guide (裁量基准). For each case type the legal range — fixed amounts, or a multiple of a base
# (违法货值 goods_value / 违法所得 illegal_income / 广告费用 goods_value) when that base is known — and the share of
# that range each circumstance suggests. 减轻 (mitigated) may go below the legal minimum (APL art. 32), never
# above the maximum; every other circumstance stays inside the legal range.
DISCRETION = {
    "counterfeit_goods": {"min": 0, "max": 50000, "base": "goods_value", "multiple": [0.5, 3],
                          "law": "《产品质量法》第五十条"},
    "false_advertising": {"min": 200000, "max": 1000000, "base": "goods_value", "multiple": [3, 5],
                          "law": "《广告法》第五十五条（广告费用三倍以上五倍以下；无法计算的二十万元以上一百万元以下）"},
    "online_trading": {"min": 20000, "max": 100000, "law": "《电子商务法》第七十六条、第七十七条"},
    "illegal_fees": {"min": 50000, "max": 500000, "base": "illegal_income", "multiple": [0, 5],
                     "law": "《价格法》第三十九条；《价格违法行为行政处罚规定》"},
    "price_gouging": {"min": 50000, "max": 5000000, "base": "illegal_income", "multiple": [0, 5],
                      "law": "《价格违法行为行政处罚规定》第六条"},
    "trademark": {"min": 0, "max": 250000, "base": "goods_value", "multiple": [0, 5], "base_min": 50000,
                  "law": "《商标法》第六十条（违法经营额五万元以上的五倍以下；没有或不足五万元的二十五万元以下）"},
    "patent_counterfeit": {"min": 0, "max": 250000, "base": "illegal_income", "multiple": [0, 5],
                           "law": "《专利法》第六十八条"},
    "food": {"min": 50000, "max": 100000, "base": "goods_value", "multiple": [10, 20], "base_min": 10000,
             "law": "《食品安全法》第一百二十四条（货值不足一万元的五万元以上十万元以下；一万元以上的十倍以上二十倍以下）"},
    "drugs": {"min": 1000000, "max": 2000000, "base": "goods_value", "multiple": [10, 20], "base_min": 100000,
              "law": "《药品管理法》第一百一十七条（货值金额十倍以上二十倍以下，不足十万元的按十万元计算）"},
    "special_equipment": {"min": 30000, "max": 300000, "law": "《特种设备安全法》第八十四条"},
    "product_quality": {"min": 0, "max": 50000, "base": "goods_value", "multiple": [1, 3],
                        "law": "《产品质量法》第四十九条（货值金额等值以上三倍以下）"},
    "metrology": {"min": 0, "max": 20000, "law": "《计量法实施细则》第四十五条至第五十条"},
    "unlicensed": {"min": 10000, "max": 100000, "law": "《市场主体登记管理条例》第四十三条"},
    "other": {"min": 0, "max": 100000, "law": "按所依据的法律、法规、规章"},
}
define("enforcement.discretion", DISCRETION, "行政处罚裁量基准：各案件类型的法定罚款幅度（元或基数倍数）",
       source="各案件类型的法定幅度见其所适用法律的罚则条款（逐项列于 law，如《中华人民共和国产品质量法》第四十九条）；"
              "类型与幅度的对应为本平台默认值，由本局按本省市场监管行政处罚裁量基准调整", confidence="U")
CIRCUMSTANCES = {
    "mitigated": {"label": "减轻处罚", "share": [0, 0.1], "below_min": True},
    "lighter": {"label": "从轻处罚", "share": [0, 0.3]},
    "normal": {"label": "一般处罚", "share": [0.3, 0.7]},
    "heavier": {"label": "从重处罚", "share": [0.7, 1.0]},
}
define("enforcement.circumstances", CIRCUMSTANCES, "裁量情节及其在法定幅度内的建议区间（比例）",
       source="《中华人民共和国行政处罚法》（2021年修订）第三十二条（从轻、减轻）、第三十四条（裁量基准）；"
              "各情节在法定幅度内的比例无全国规定，为本平台默认值（各省裁量权适用规则多为三段式），由本局设定", confidence="U")
# Case type → the serious-list ground it proposes when the penalty is a heavy one (SAMR Order 44 arts. 2, 5–13).
define("enforcement.serious_list_grounds",
       {"food": "s_food_drug", "drugs": "s_food_drug", "special_equipment": "s_food_drug",
        "counterfeit_goods": "s_competition", "trademark": "s_competition", "patent_counterfeit": "s_competition",
        "false_advertising": "s_competition", "price_gouging": "s_competition", "product_quality": "s_food_drug"},
       "处罚后提请列入严重违法失信名单的案件类型及事由（须为较重行政处罚：从重罚款或吊销、停产停业等）",
       source="《市场监督管理严重违法失信名单管理办法》（总局令第44号）第二条、第五条至第十三条", confidence="S")
define("enforcement.serious_fine_min", 0, "提请列入严重违法失信名单的从重罚款最低金额（元；0 为不限）",
       source="本平台默认值", confidence="U")
define("enforcement.case_number_word", "立", "立案编号的机关代字后缀（如 平市监立〔2026〕12号）",
       source="无法律条款规定立案编号的代字：本平台默认值，按本局文书编号规则设定", confidence="U")
define("enforcement.decision_number_word", "罚", "处罚决定书文号后缀（如 平市监罚〔2026〕12号）",
       source="无法律条款规定决定书文号的代字：本平台默认值（多地用“罚”字），按本局文书编号规则设定", confidence="U")


def case_types(on: dt.date | None = None) -> list[tuple[str, str]]:
    return [(c, label) for c, label in rule("enforcement.case_types", on=on)]


def case_type_label(code: str, on: dt.date | None = None) -> str:
    return dict(case_types(on)).get(code, code)


def circumstance_choices(on: dt.date | None = None) -> list[tuple[str, str]]:
    return [(k, v["label"]) for k, v in rule("enforcement.circumstances", on=on).items()]


def _money(value) -> Decimal:
    return Decimal(value).quantize(Decimal("1"), rounding=ROUND_HALF_UP)


def legal_range(case_type: str, *, goods_value=None, illegal_income=None, on: dt.date | None = None
                ) -> tuple[Decimal, Decimal, str]:
    """(minimum, maximum, legal basis) of the fine for ``case_type``: a multiple of the base when it is known."""
    spec = rule("enforcement.discretion", on=on).get(case_type) or rule("enforcement.discretion", on=on)["other"]
    lo, hi = Decimal(str(spec["min"])), Decimal(str(spec["max"]))
    base_name = spec.get("base")
    base = {"goods_value": goods_value, "illegal_income": illegal_income}.get(base_name) if base_name else None
    # Below ``base_min`` the law keeps its fixed range (food: under ¥10,000 of goods; drugs: counted as ¥100,000).
    if base is not None and Decimal(base) > 0 and spec.get("multiple") \
            and Decimal(base) >= Decimal(str(spec.get("base_min", 0))):
        m_lo, m_hi = (Decimal(str(x)) for x in spec["multiple"])
        lo, hi = _money(Decimal(base) * m_lo), _money(Decimal(base) * m_hi)
    return lo, hi, spec.get("law", "")


def suggested_range(case_type: str, circumstance: str, *, goods_value=None, illegal_income=None,
                    on: dt.date | None = None) -> dict:
    """The discretion guide's suggestion: {min, max, legal_min, legal_max, law, label} for the circumstance."""
    lo, hi, law = legal_range(case_type, goods_value=goods_value, illegal_income=illegal_income, on=on)
    circ = rule("enforcement.circumstances", on=on).get(circumstance or "normal") or CIRCUMSTANCES["normal"]
    a, b = (Decimal(str(x)) for x in circ["share"])
    if circ.get("below_min"):
        s_lo, s_hi = Decimal(0), (_money(hi * b) if lo == 0 else lo)
    else:
        s_lo, s_hi = _money(lo + (hi - lo) * a), _money(lo + (hi - lo) * b)
    return {"min": s_lo, "max": s_hi, "legal_min": lo, "legal_max": hi, "law": law, "label": circ["label"],
            "below_min_allowed": bool(circ.get("below_min"))}
