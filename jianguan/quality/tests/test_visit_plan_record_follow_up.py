"""进园区入百企: plan → visit (problems, help) → follow-up; coverage per park; double clicks act once."""

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.quality import selectors, services
from jianguan.quality.models import VisitStatus

pytestmark = pytest.mark.django_db


def test_visit_with_problems_gets_a_follow_up_deadline_and_closes_on_follow_up(park, quality_officer, entity_in):
    firm = entity_in("410421")
    visit = services.visit_plan(actor=quality_officer, park=park, entity=firm, planned_on=dt.date(2026, 3, 2),
                                team="王建国、李红梅")
    services.visit_record(actor=quality_officer, visit=visit, visited_on=dt.date(2026, 3, 2), problem_count=2,
                          problems="出厂检验记录不全；计量器具未检定", help_given="指导建立检验台账")
    visit.refresh_from_db()
    # 30 days from Mon 2 March 2026: Wed 1 April 2026, a working day.
    assert visit.status == VisitStatus.VISITED and visit.follow_up_due == dt.date(2026, 4, 1)
    with pytest.raises(TransitionNotAllowed):  # a second click on "record"
        services.visit_record(actor=quality_officer, visit=visit, visited_on=dt.date(2026, 3, 3), problem_count=0,
                              problems="", help_given="")
    with pytest.raises(ValidationFailed, match="不能超过"):
        services.visit_follow_up(actor=quality_officer, visit=visit, followed_up_on=dt.date(2026, 3, 20),
                                 note="已整改", solved=3)
    services.visit_follow_up(actor=quality_officer, visit=visit, followed_up_on=dt.date(2026, 3, 20), note="已整改",
                             solved=2)
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED and visit.solved == 2


def test_follow_up_deadline_rolls_over_a_holiday(park, quality_officer, entity_in):
    visit = services.visit_plan(actor=quality_officer, park=park, entity=entity_in("410421"),
                                planned_on=dt.date(2026, 9, 1), team="甲")
    services.visit_record(actor=quality_officer, visit=visit, visited_on=dt.date(2026, 9, 1), problem_count=1,
                          problems="标签不规范", help_given="提供标签标准")
    visit.refresh_from_db()
    # 1 Sept + 30 days = Thu 1 October 2026, National Day: the holiday runs 1–7 October, so Thu 8 October.
    assert visit.follow_up_due == dt.date(2026, 10, 8)


def test_visit_without_problems_is_closed_at_once(park, quality_officer, entity_in):
    visit = services.visit_plan(actor=quality_officer, park=park, entity=entity_in("410421"),
                                planned_on=dt.date(2026, 3, 2), team="甲")
    services.visit_record(actor=quality_officer, visit=visit, visited_on=dt.date(2026, 3, 2), problem_count=0,
                          problems="", help_given="宣讲质量强企政策")
    visit.refresh_from_db()
    assert visit.status == VisitStatus.CLOSED and visit.follow_up_due is None


def test_problems_without_help_are_refused(park, quality_officer, entity_in):
    visit = services.visit_plan(actor=quality_officer, park=park, entity=entity_in("410421"),
                                planned_on=dt.date(2026, 3, 2), team="甲")
    with pytest.raises(ValidationFailed) as exc:
        services.visit_record(actor=quality_officer, visit=visit, visited_on=dt.date(2026, 3, 2), problem_count=1,
                              problems="无检验设备", help_given="")
    assert exc.value.field == "help_given"


def test_coverage_counts_distinct_enterprises_visited(park, quality_officer, entity_in):
    a, b = entity_in("410421"), entity_in("410421")
    for firm, day in ((a, 2), (a, 20), (b, 3)):
        services.visit_plan(actor=quality_officer, park=park, entity=firm, planned_on=dt.date(2026, 3, day), team="甲")
    for visit in park.visits.filter(entity=a):
        services.visit_record(actor=quality_officer, visit=visit, visited_on=visit.planned_on, problem_count=0,
                              problems="", help_given="")
    row = next(r for r in selectors.coverage(quality_officer, year=2026) if r["park"] == park)
    assert (row["planned"], row["done"], row["enterprises"]) == (3, 2, 1)
    assert str(row["coverage"]) == "25.0"  # 1 of the park's 4 enterprises
    assert selectors.enterprises_visited(year=2026) == 1


def test_same_enterprise_twice_the_same_day_is_refused(park, quality_officer, entity_in):
    firm = entity_in("410421")
    services.visit_plan(actor=quality_officer, park=park, entity=firm, planned_on=dt.date(2026, 3, 2), team="甲")
    with pytest.raises(ValidationFailed, match="已有走访计划"):
        services.visit_plan(actor=quality_officer, park=park, entity=firm, planned_on=dt.date(2026, 3, 2), team="乙")


def test_visit_page_records_and_shows_the_deadline(park, quality_officer, entity_in, login):
    visit = services.visit_plan(actor=quality_officer, park=park, entity=entity_in("410421"),
                                planned_on=dt.date(2026, 3, 2), team="甲")
    client = login(quality_officer)
    response = client.post(f"/workbench/quality/visits/{visit.pk}/", {
        "action": "record", "record-visited_on": "2026-03-02", "record-problem_count": "1",
        "record-problems": "无出厂检验", "record-help_given": "指导"}, follow=True)
    assert "2026-04-01" in response.content.decode()
    list_html = client.get("/workbench/quality/visits/").content.decode()
    assert f"/workbench/quality/visits/{visit.pk}/" in list_html


def test_other_district_cannot_open_a_visit(park, quality_officer, entity_in, login):
    from jianguan.core.tests.factories import staff

    visit = services.visit_plan(actor=quality_officer, park=park, entity=entity_in("410421"),
                                planned_on=dt.date(2026, 3, 2), team="甲")
    other = staff("wd_quality", "410403", ["quality_officer"], credential=False)
    assert login(other).get(f"/workbench/quality/visits/{visit.pk}/").status_code == 404
