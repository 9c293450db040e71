"""A report is checked and becomes an enforcement lead; the real-name reporter is told the filing decision."""

import datetime as dt

import pytest

from jianguan.complaints import services
from jianguan.complaints.models import Status
from jianguan.core import sweep
from jianguan.enforcement.models import Lead, LeadStatus

from .factories import business, report

pytestmark = pytest.mark.django_db


def test_a_report_becomes_a_lead_and_the_reporter_learns_the_filing_decision(org, xh_handler, login):
    shop = business()
    r, _ = report(entity=shop)
    r = services.report_start_check(actor=xh_handler, complaint=r, on=dt.date(2026, 3, 3))
    r = services.report_decide(actor=xh_handler, complaint=r, outcome="lead", note="现场发现假冒白酒 12 瓶",
                               on=dt.date(2026, 3, 9))
    assert r.status == Status.LEAD
    lead = Lead.objects.get(pk=r.lead_id)
    assert (lead.source_kind, lead.source_type, lead.source_id) == ("report", "complaints.complaint", str(r.pk))
    assert lead.entity == shop and lead.unit == r.unit and lead.discovered_on == r.received_on
    assert "王举报" not in lead.description and "13900000002" not in lead.description
    # Deciding twice does not hand over a second lead.
    services.report_decide(actor=xh_handler, complaint=r, outcome="lead")
    assert Lead.objects.count() == 1
    with pytest.raises(services.DomainError, match="尚未作出立案决定"):
        services.report_notify_reporter(actor=xh_handler, complaint=r)
    page = login(xh_handler).get(f"/workbench/complaints/{r.number}/").content.decode()
    assert f"线索 #{lead.pk}：待核查" in page

    # Enforcement files a case on Thu 12 March (written behind the signal's back: the daily job catches up).
    Lead.objects.filter(pk=lead.pk).update(status=LeadStatus.FILED, decided_on=dt.date(2026, 3, 12))
    sweep.run(today=dt.date(2026, 3, 20), only="complaints-reporter-clock")
    r.refresh_from_db()
    # 5 working days from the filing decision itself (Order 20 art. 31): 13, 16, 17, 18, 19 March — not from the
    # day the job noticed it.
    assert r.reporter_notify_due == dt.date(2026, 3, 19)
    r = services.report_notify_reporter(actor=xh_handler, complaint=r, on=dt.date(2026, 3, 23))
    assert r.events.filter(public_text="处理结果：已立案调查").exists()
    r = services.complaint_close(actor=xh_handler, complaint=r)
    assert r.status == Status.CLOSED


def test_an_anonymous_report_needs_no_telling_and_can_be_dismissed(org, xh_handler):
    r, _ = report(entity=business(), anonymous=True, person_name="", person_phone="")
    assert r.anonymous and r.person_name == "" and r.person_phone == ""
    r = services.report_decide(actor=xh_handler, complaint=r, outcome="dismiss", note="未发现违法")
    assert r.status == Status.DISMISSED and r.reporter_notify_due is None
    assert services.complaint_close(actor=xh_handler, complaint=r).status == Status.CLOSED


def test_a_real_name_report_cannot_be_closed_before_the_reporter_is_told(org, xh_handler):
    r, _ = report(entity=business())
    r = services.report_decide(actor=xh_handler, complaint=r, outcome="dismiss", note="未发现违法",
                               on=dt.date(2026, 3, 5))
    assert r.reporter_notify_due == dt.date(2026, 3, 12)
    with pytest.raises(services.DomainError, match="须先将处理结果告知举报人"):
        services.complaint_close(actor=xh_handler, complaint=r)
