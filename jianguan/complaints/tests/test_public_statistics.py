"""Public, company-level statistics: counts, acceptance and resolution rates, money recovered — never a person,
never a story, never a report, never a business below the publication threshold."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.complaints import selectors, services

from .factories import business, complaint, report

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 6, 30)


@pytest.fixture
def figures(org, xh_handler):
    big = business(name="平顶山市投诉很多超市有限公司")
    small = business(name="平顶山市只有一件投诉商店")
    for i in range(4):
        c, _ = complaint(entity=big, person_name=f"隐私{i}号", person_phone=f"1380000001{i}",
                         description=f"私人故事第{i}件", received_on=dt.date(2026, 3, 2 + i))
        if i < 3:
            services.complaint_accept(actor=xh_handler, complaint=c, on=dt.date(2026, 3, 9))
        if i < 2:
            services.complaint_agree(actor=xh_handler, complaint=c, agreement="退款", on=dt.date(2026, 3, 12),
                                     money_recovered=Decimal("100.25"))
    complaint(entity=small, person_name="孤单投诉人")
    report(entity=big)  # reports are enforcement matters: not counted
    return big, small


def test_stats_for_one_business(figures):
    big, small = figures
    stats = selectors.public_stats_for(big, today=TODAY)
    assert (stats["total"], stats["accepted"], stats["resolved"]) == (4, 3, 2)
    assert stats["acceptance_rate"] == 75.0 and stats["resolution_rate"] == 66.7
    assert stats["money_recovered"] == Decimal("200.50")
    assert selectors.public_stats_for(small, today=TODAY) is None  # below the threshold of 3


def test_the_public_page_shows_figures_and_no_person_or_story(figures, client):
    body = client.get("/complaints/stats/").content.decode()
    assert "平顶山市投诉很多超市有限公司" in body
    assert "平顶山市只有一件投诉商店" not in body
    for secret in ("隐私", "13800000010", "私人故事", "孤单投诉人", "王举报", "退款"):
        assert secret not in body
