"""The credit clocks against dates computed by hand from the State Council's 2026 holiday notice
(国办发明电〔2025〕7号): 春节 2/15–2/23 休，2/14（六）、2/28（六）上班；清明 4/4–4/6；劳动节 5/1–5/5 休，5/9（六）
上班；端午 6/19–6/21；中秋 9/25–9/27；国庆 10/1–10/7 休，9/20（日）、10/10（六）上班.

Listing within 10 working days and removal within 5 (企业经营异常名录管理暂行办法 arts. 6–9, 11–14); terms of years
end at the end of the anniversary (Civil Code arts. 201–202). Expectations are literal dates counted by hand.
"""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.rules import RULES
from jianguan.core.sweep import run
from jianguan.credit import services
from jianguan.credit.models import EntryStatus, Ground, ListEntry, ListKind, RepairKind

from .factories import EntityFactory

pytestmark = pytest.mark.django_db
D = dt.date

# (ground, the day the ground arose, expected last day to list, why)
LISTING = [
    (Ground.REPORT_NOT_FILED, D(2026, 7, 1), D(2026, 7, 14),
     "起算日 6/30 不计：7/1–7/3、7/6–7/10、7/13、7/14 共 10 个工作日"),
    (Ground.INSTANT_NOT_PUBLISHED, D(2026, 10, 1), D(2026, 10, 20),
     "责令期限 9/30 届满，起算日 9/30：10/8、9、10（六上班）、12–16、19、20"),
    (Ground.INSTANT_NOT_PUBLISHED, D(2026, 2, 13), D(2026, 3, 4),
     "责令期限 2/12 届满：2/13、2/14（六上班）、2/24–2/28（2/28 六上班）、3/2–3/4"),
    (Ground.UNREACHABLE, D(2026, 2, 12), D(2026, 3, 4), "查实日 2/12 不计：2/13、14、24–28、3/2–3/4"),
    (Ground.FALSE_INFORMATION, D(2026, 4, 28), D(2026, 5, 14), "4/29、30、5/6–5/9、5/11–5/14"),
    (Ground.UNREACHABLE, D(2026, 9, 18), D(2026, 10, 9), "9/20（日）上班计入：9/21、20、22–24、28–30、10/8、10/9"),
    (Ground.FALSE_INFORMATION, D(2026, 9, 30), D(2026, 10, 20), "10/8、9、10（六上班）、12–16、19、20"),
    (Ground.UNREACHABLE, D(2026, 5, 8), D(2026, 5, 21), "5/9（六上班）、5/11–15、5/18–21"),
    (Ground.INSTANT_NOT_PUBLISHED, D(2026, 6, 19), D(2026, 7, 3),
     "责令期限 6/18 届满（事由 6/19 端午发生）：6/22–26、6/29、6/30、7/1–7/3"),
]

# (how the removal clock starts, on, expected last day to remove, why)
REMOVAL = [
    ("application", D(2026, 9, 29), D(2026, 10, 12), "9/30、10/8、9、10（六上班）、12"),
    ("application", D(2026, 2, 13), D(2026, 2, 27), "2/14（六上班）、2/24–2/27"),
    ("cure_found", D(2026, 4, 30), D(2026, 5, 11), "5/6–5/9、5/11"),
    ("cure_found", D(2026, 6, 18), D(2026, 6, 26), "6/22–6/26：端午 6/19–6/21 不计"),
    ("application", D(2026, 9, 24), D(2026, 10, 9), "9/28–30、10/8、10/9"),
    ("cure_found", D(2026, 2, 11), D(2026, 2, 25), "2/12、13、14（六上班）、24、25"),
]


@pytest.mark.parametrize("ground, arose, expected, why", LISTING, ids=[f"{r[0]}-{r[1]}" for r in LISTING])
def test_listing_is_due_within_10_working_days_of_the_ground(org, ground, arose, expected, why):
    assert services._listing_due(arose, ground) == expected, why
    source = RULES["credit.abnormal.listing_workdays"].source
    assert "《企业经营异常名录管理暂行办法》" in source and all(a in source for a in ("第六条", "第七条", "第九条"))


@pytest.mark.parametrize("how, on, expected, why", REMOVAL, ids=[f"{r[0]}-{r[1]}" for r in REMOVAL])
def test_removal_is_due_within_5_working_days(org, how, on, expected, why):
    entity = EntityFactory()
    entry = services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系",
                                today=on - dt.timedelta(days=60))
    if how == "application":
        services.repair_apply(actor="t", entity=entity, kind=RepairKind.LIST_REMOVAL, list_entry=entry,
                              statement="已恢复在登记住所经营", today=on)
    else:
        services.list_cure_found(actor="t", entry=entry, note="经实地核查，住所可以联系", today=on)
    entry.refresh_from_db()
    assert (entry.removal_requested_on, entry.removal_requested_how, entry.removal_due_on) == (on, how, expected), why
    assert "第十一条至第十四条" in RULES["credit.abnormal.removal_workdays"].source


def test_the_annual_report_sweep_lists_with_the_10th_working_day_after_30_june(org):
    entity = EntityFactory(established_on=D(2020, 1, 1))
    run(today=D(2026, 7, 1), only="credit-annual-report-listing")
    entry = ListEntry.objects.get(entity=entity)
    assert (entry.ground_arose_on, entry.listing_due_on) == (D(2026, 7, 1), D(2026, 7, 14))


# (listed on, years, the last day still listed, why) — Civil Code art. 202
TERMS = [
    (D(2026, 3, 10), 3, D(2029, 3, 10), "同号日 2029/3/10 当日届满，3/11 起移出"),
    (D(2024, 2, 29), 3, D(2027, 2, 28), "2027 年 2 月无 29 日：以月末日 2/28 为最后一日"),
    (D(2026, 10, 8), 3, D(2029, 10, 8), "节假日不影响年的计算"),
]


@pytest.mark.parametrize("listed, years, last, why", TERMS, ids=[str(t[0]) for t in TERMS])
def test_a_serious_listing_runs_to_the_end_of_its_anniversary(org, listed, years, last, why):
    entity = EntityFactory()
    proposal = services.serious_propose(actor="t", entity=entity, ground=Ground.FOOD_DRUG_SAFETY, facts="重罚",
                                        penalty_ref="新市监罚〔2026〕1号", today=listed)
    entry = services.serious_approve(actor="t", entry=proposal, today=listed)
    assert entry.term_ends_on == last, why
    assert run(today=last, only="credit-serious-term-end")[0].counts == {"removed": 0}
    assert ListEntry.objects.get(pk=entry.pk).status == EntryStatus.ACTIVE
    assert run(today=last + dt.timedelta(days=1), only="credit-serious-term-end")[0].counts == {"removed": 1}


@pytest.mark.parametrize("listed, years, last, why", TERMS[:2], ids=[str(t[0]) for t in TERMS[:2]])
def test_the_three_year_proposal_comes_the_day_after_the_third_anniversary(org, listed, years, last, why):
    entity = EntityFactory()
    services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系", today=listed)
    assert run(today=last, only="credit-abnormal-three-years")[0].counts["proposed"] == 0, why
    assert run(today=last + dt.timedelta(days=1), only="credit-abnormal-three-years")[0].counts["proposed"] == 1
    assert ListEntry.objects.filter(list_kind=ListKind.SERIOUS, entity=entity).count() == 1


# (published on, sector, first day a repair may be applied for, why) — 满N个月 = the day after the anniversary
REPAIR = [
    (D(2026, 2, 28), "other", D(2026, 8, 29), "6 个月至 8/28 当日届满，8/29 起满 6 个月"),
    (D(2025, 8, 31), "other", D(2026, 3, 1), "2026 年 2 月无 31 日：月末日 2/28 届满，3/1 起可申请"),
    (D(2026, 3, 10), "food", D(2027, 3, 11), "食品 12 个月：2027/3/10 届满，3/11 起可申请"),
]


@pytest.mark.parametrize("published, sector, earliest, why", REPAIR, ids=[f"{r[0]}-{r[1]}" for r in REPAIR])
def test_penalty_repair_waits_full_months(org, published, sector, earliest, why):
    entity = EntityFactory()
    kw = dict(actor="t", entity=entity, kind=RepairKind.PENALTY_PUBLICATION, penalty_ref="新市监罚〔2025〕9号",
              penalty_sector=sector, penalty_published_on=published, statement="已履行")
    with pytest.raises(services.DomainError, match="尚未届满最短公示期"):
        services.repair_apply(today=earliest - dt.timedelta(days=1), **kw)
    assert services.repair_apply(today=earliest, **kw).applied_on == earliest, why


def test_the_list_entry_explains_its_clock_with_the_article(org):
    from jianguan.credit.clocks import deadline_explained, listing_explained

    entity = EntityFactory()
    entry = services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系",
                                ground_arose_on=D(2026, 2, 12), today=D(2026, 2, 13))
    listing = listing_explained(entry).as_dict()
    assert (listing["start_on"], listing["days"], listing["unit"], listing["due_on"]) == ("2026-02-12", 10,
                                                                                          "workdays", "2026-03-04")
    assert "《企业经营异常名录管理暂行办法》" in listing["article"] and "第九条" in listing["article"]
    term = deadline_explained(entry).as_dict()
    assert term["due_on"] == "2029-02-13" and "第二百零二条" in term["article"] and "2029-02-14" in term["text"]


# Instant information: published within 20 working days of arising (企业信息公示暂行条例第十条); an ordered period of
# 10 days (日) ends on the next working day when it ends on a rest day (Civil Code art. 203).
INSTANT = [
    ("publish", D(2026, 9, 24), D(2026, 10, 29), "9/28–30、10/8–10、10/12–16、10/19–23、10/26–29：20 个工作日"),
    ("publish", D(2026, 2, 10), D(2026, 3, 16), "2/11–2/14、2/24–2/28、3/2–3/6、3/9–3/13、3/16"),
    ("order", D(2026, 9, 21), D(2026, 10, 8), "9/21 + 10 日 = 10/1 国庆 → 10/8"),
    ("order", D(2026, 2, 5), D(2026, 2, 24), "2/5 + 10 日 = 2/15 春节 → 2/24"),
]


@pytest.mark.parametrize("clock, start, expected, why", INSTANT, ids=[f"{i[0]}-{i[1]}" for i in INSTANT])
def test_instant_information_clocks(org, clock, start, expected, why):
    from jianguan.credit.models import InstantInfo

    entity = EntityFactory()
    if clock == "publish":
        info = services.instant_info_record(actor="t", entity=entity, kind=InstantInfo.Kind.values[0], content="股权变更",
                                            arose_on=start)
        assert info.due_on == expected, why
        assert "第十条" in RULES["credit.instant.publish_workdays"].source
    else:
        info = services.instant_info_record(actor="t", entity=entity, kind=InstantInfo.Kind.values[0], content="股权变更",
                                            arose_on=start - dt.timedelta(days=60))
        info = services.instant_info_order(actor="t", info=info, today=start)
        assert info.order_due_on == expected, why


def test_the_tables_have_at_least_25_hand_computed_cases():
    assert len(LISTING) + len(REMOVAL) + len(TERMS) + len(REPAIR) + len(INSTANT) >= 25


def test_the_list_api_explains_the_removal_clock_with_its_article(org, login):
    """``deadline_explained`` in the staff API: the cause found cured on Thu 2026-09-24 → 9/28, 29, 30, 10/8, 10/9
    (中秋 9/25–27 and 国庆 10/1–7 do not count): removal by 2026-10-09, citing the rule's articles."""
    from .factories import credit_officer

    entity = EntityFactory()
    entry = services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系",
                                today=D(2026, 8, 3))
    services.list_cure_found(actor="t", entry=entry, note="经实地核查，住所可以联系", today=D(2026, 9, 24))
    row = next(r for r in login(credit_officer()).get("/api/v1/credit/lists").json() if r["id"] == entry.pk)
    explained = row["deadline_explained"]
    assert (row["removal_due_on"], explained["due_on"], explained["start_on"], explained["days"]) == (
        "2026-10-09", "2026-10-09", "2026-09-24", 5)
    assert "查实列入事由已消除" in explained["text"] and "第十一条至第十四条" in explained["article"]
