"""A report (举报) handed over as a lead is filed as a case; the filing decision starts the clock for telling the
real-name reporter on its own date."""

import datetime as dt

from jianguan.complaints import services as complaint_services
from jianguan.complaints.tests.factories import handler, report
from jianguan.enforcement import services
from jianguan.enforcement.models import Lead, LeadSource

from .factories import business, head


def test_report_lead_to_case(district_officer, officers):
    xh = handler()
    c, _ = report(entity=business(), received_on=dt.date(2026, 3, 2))
    complaint_services.report_start_check(actor=xh, complaint=c, on=dt.date(2026, 3, 3))
    complaint_services.report_decide(actor=xh, complaint=c, outcome="lead", note="涉嫌销售假冒注册商标白酒",
                                     on=dt.date(2026, 3, 5))
    c.refresh_from_db()
    lead = Lead.objects.get(pk=c.lead_id)
    assert lead.source_kind == LeadSource.REPORT
    case = services.case_file(actor=district_officer, lead=lead, case_type="trademark", title="销售侵犯注册商标专用权的白酒",
                              officers=officers, party_kind="organisation", on=dt.date(2026, 3, 9),
                              approver=head())
    assert case.lead == lead and case.entity == c.entity
    # Filing on Mon 9 March starts the reporter clock at once: 5 working days from the decision (Order 20 art. 31).
    c.refresh_from_db()
    assert c.reporter_notify_due == dt.date(2026, 3, 16)
    assert complaint_services.reporter_clock_from_leads(today=dt.date(2026, 3, 20)) == 0  # nothing left to catch up
