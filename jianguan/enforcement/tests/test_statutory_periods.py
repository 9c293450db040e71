"""The enforcement clocks against dates computed by hand from the State Council's 2026 holiday notice
(国办发明电〔2025〕7号, 2025-11-04):

  元旦 1月1日–3日休，1月4日（日）上班；春节 2月15日–23日休，2月14日（六）、2月28日（六）上班；清明 4月4日–6日休；
  劳动节 5月1日–5日休，5月9日（六）上班；端午 6月19日–21日休；中秋 9月25日–27日休；
  国庆 10月1日–7日休，9月20日（日）、10月10日（六）上班。

Every expected date below was counted by hand on that calendar (the start day never counts, Civil Code art. 201;
periods in 日 ending on a rest day end on the next working day, art. 203; short periods of the Administrative Penalty
Law are working days, art. 85). The helpers under test are the project's; the expectations are not.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.rules import RULES
from jianguan.enforcement import publication, services
from jianguan.enforcement.models import Case, ClockPause, Lead

pytestmark = pytest.mark.django_db
D = dt.date


def _lead(discovered_on, *, extended=False, pauses=()):
    lead = Lead(discovered_on=discovered_on, extended=extended)
    return services.lead_clock(lead, today=D(2026, 12, 1),
                               pauses=[ClockPause(reason=r, starts_on=a, ends_on=b) for r, a, b in pauses])[0]


def _case(filed_on, *, extended=False, pauses=()):
    case = Case(filed_on=filed_on, extended=extended, collective_extension_days=0)
    return services.case_clock(case, today=D(2026, 12, 1),
                               pauses=[ClockPause(reason=r, starts_on=a, ends_on=b) for r, a, b in pauses])[0]


# (clock, start, expected last day, the article the rule cites, why)
TABLE = [
    # Lead: 15 working days to decide on filing (Order 2 art. 18), +15 with the head's approval.
    ("lead", dict(discovered_on=D(2026, 2, 10)), D(2026, 3, 9), "enforcement.lead_filing_days", "第十八条",
     "2/14 六 上班计入；2/15–2/23 春节不计；2/28 六 上班计入"),
    ("lead", dict(discovered_on=D(2026, 2, 10), extended=True), D(2026, 3, 30), "enforcement.lead_extension_days",
     "第十八条", "延长 15 个工作日：3/10 起再数 15 个工作日"),
    ("lead", dict(discovered_on=D(2026, 4, 24)), D(2026, 5, 19), "enforcement.lead_filing_days", "第十八条",
     "5/1–5/5 劳动节不计；5/9 六 上班计入"),
    ("lead", dict(discovered_on=D(2026, 5, 8)), D(2026, 5, 28), "enforcement.lead_filing_days", "第十八条",
     "第 1 个工作日是调休上班的 5/9（六）"),
    ("lead", dict(discovered_on=D(2026, 9, 24)), D(2026, 10, 22), "enforcement.lead_filing_days", "第十八条",
     "9/25–27 中秋、10/1–7 国庆不计；10/10 六 上班计入"),
    ("lead", dict(discovered_on=D(2026, 9, 24), pauses=[("testing", D(2026, 10, 8), D(2026, 10, 14))]),
     D(2026, 10, 29), "enforcement.lead_filing_days", "第十八条",
     "检测 10/8–10/14：(10/8, 10/14] 内 10/9、10/10、10/12、10/13、10/14 五个工作日不计入"),
    # Case: 90 days from filing (Order 2 art. 64), +30 with the head's approval, minus the pauses; rolled (art. 203).
    ("case", dict(filed_on=D(2026, 1, 20)), D(2026, 4, 20), "enforcement.decision_days", "第六十四条",
     "1/20 + 90 日 = 4/20（一）"),
    ("case", dict(filed_on=D(2026, 2, 3)), D(2026, 5, 6), "enforcement.decision_days", "第六十四条",
     "2/3 + 90 日 = 5/4 劳动节 → 顺延至 5/6"),
    ("case", dict(filed_on=D(2026, 7, 3)), D(2026, 10, 8), "enforcement.decision_days", "第六十四条",
     "7/3 + 90 日 = 10/1 国庆 → 顺延至 10/8"),
    ("case", dict(filed_on=D(2026, 7, 3), extended=True), D(2026, 11, 2), "enforcement.decision_extension_days",
     "第六十四条", "120 日 = 10/31（六）→ 11/2（一）"),
    ("case", dict(filed_on=D(2026, 7, 3), pauses=[("hearing", D(2026, 8, 10), D(2026, 8, 20))]), D(2026, 10, 12),
     "enforcement.decision_days", "第六十四条", "听证 10 日不计入：100 日 = 10/11（日）→ 10/12；10/10 六为上班日但非最后一日"),
    ("case", dict(filed_on=D(2026, 3, 23)), D(2026, 6, 22), "enforcement.decision_days", "第六十四条",
     "3/23 + 90 日 = 6/21 端午 → 6/22"),
    ("case", dict(filed_on=D(2026, 7, 3), pauses=[("refund", D(2026, 9, 1), D(2026, 9, 4))]), D(2026, 10, 8),
     "enforcement.decision_days", "第六十四条", "责令退还多收价款 3 日不计入：93 日 = 10/4 国庆 → 10/8"),
]


@pytest.mark.parametrize("clock, start, expected, rule_key, article, why", TABLE,
                         ids=[f"{row[0]}-{list(row[1].values())[0]}-{i}" for i, row in enumerate(TABLE)])
def test_clock_matches_the_hand_computed_date(org, clock, start, expected, rule_key, article, why):
    got = _lead(**start) if clock == "lead" else _case(**start)
    assert got == expected, why
    assert article in RULES[rule_key].source


# Periods with their own helper: (callable, expected, rule, article, why)
SINGLE = [
    (lambda: services.seizure_end(D(2026, 1, 15), extended=False), D(2026, 2, 14), "enforcement.seizure_days",
     "第二十五条", "1/15 + 30 日 = 2/14（六），春节调休上班日：期间在该日届满"),
    (lambda: services.seizure_end(D(2026, 1, 16), extended=False), D(2026, 2, 24), "enforcement.seizure_days",
     "第二十五条", "1/16 + 30 日 = 2/15 春节 → 顺延至 2/24"),
    (lambda: services.seizure_end(D(2026, 1, 16), extended=True), D(2026, 3, 17), "enforcement.seizure_extension_days",
     "第二十五条", "延长 30 日：1/16 + 60 日 = 3/17（二）"),
    (lambda: services.seizure_end(D(2026, 1, 16), extended=False, excluded_days=10), D(2026, 2, 25),
     "enforcement.seizure_days", "第二十五条", "检测 1/20–1/30 共 10 日不计入：1/16 + 40 日 = 2/25（三）"),
    (lambda: services.reply_deadline(D(2026, 9, 23)), D(2026, 10, 8), "enforcement.reply_workdays", "第六十四条",
     "告知书 9/23 送达：9/24、9/28、9/29、9/30、10/8（中秋、国庆不计）"),
    (lambda: services.reply_deadline(D(2026, 2, 13)), D(2026, 2, 27), "enforcement.reply_workdays", "第八十五条",
     "2/13 送达：2/14（六上班）、2/24、2/25、2/26、2/27"),
    (lambda: services.earliest_hearing(D(2026, 4, 28)), D(2026, 5, 11), "enforcement.hearing_notice_workdays",
     "第六十四条", "听证通知书 4/28 送达：4/29、4/30、5/6、5/7、5/8、5/9（六上班）、5/11"),
    (lambda: services.earliest_hearing(D(2026, 9, 18)), D(2026, 9, 29), "enforcement.hearing_notice_workdays",
     "第八十五条", "9/18 送达：9/20（日上班）、9/21–9/24、9/28、9/29"),
    (lambda: services.decision_service_due(D(2026, 9, 30)), D(2026, 10, 15), "enforcement.decision_service_workdays",
     "第六十一条", "当事人不在场：10/8、9、10（六上班）、12、13、14、15"),
    (lambda: services.decision_service_due(D(2026, 2, 12)), D(2026, 2, 28), "enforcement.decision_service_workdays",
     "第六十一条", "2/13、2/14（六上班）、2/24–2/27、2/28（六上班）"),
    (lambda: services.announcement_served_on(D(2026, 9, 3)), D(2026, 10, 8), "enforcement.announcement_service_days",
     "第九十五条", "公告 9/3 发出，经过 30 日 = 10/3 国庆 → 10/8 视为送达"),
    (lambda: services.legal_review_due(D(2026, 4, 30)), D(2026, 5, 18), "enforcement.legal_review_workdays", "法制审核",
     "5/6–5/9、5/11–5/15、5/18：10 个工作日"),
    (lambda: publication.deadline_for(D(2026, 2, 12)), D(2026, 3, 18), "enforcement.publication.deadline_workdays",
     "第九条", "20 个工作日：2/13、2/14（六上班）、2/24 起……至 3/18"),
    (lambda: publication.ends_on_for(D(2026, 2, 28), True), D(2026, 5, 28), "enforcement.publication.light_months",
     "第十三条", "3 个月：与 2/28 同号的 5/28 当日届满"),
    (lambda: publication.ends_on_for(D(2025, 11, 30), True), D(2026, 2, 28), "enforcement.publication.light_months",
     "第十三条", "2 月无 30 日：以月末日 2/28 为最后一日（民法典第二百零二条）"),
    (lambda: publication.ends_on_for(D(2026, 3, 10), False), D(2029, 3, 10), "enforcement.publication.months",
     "第十三条", "3 年：2029/3/10 当日仍公示，3/11 起停止"),
]


@pytest.mark.parametrize("compute, expected, rule_key, article, why", SINGLE, ids=[s[4][:12] for s in SINGLE])
def test_single_period_matches_the_hand_computed_date(org, compute, expected, rule_key, article, why):
    assert compute() == expected, why
    assert article in RULES[rule_key].source


def test_product_quality_fines_are_one_to_three_times_the_goods_value(org):
    from jianguan.enforcement.rules import legal_range

    low, high, law = legal_range("product_quality", goods_value=Decimal("3000"))
    assert (low, high) == (Decimal("3000"), Decimal("9000"))  # 产品质量法第四十九条：等值以上三倍以下
    assert "第四十九条" in law


def test_there_is_one_low_fine_threshold(org):
    assert "enforcement.publication.light_fine_max" not in RULES
    assert RULES["enforcement.light_fine_max"].confidence == "U"


def test_the_tables_have_at_least_25_hand_computed_cases():
    assert len(TABLE) + len(SINGLE) >= 25
