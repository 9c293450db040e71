"""A case run through the real services gets its documents at each step; once the decision is served the daily
sweep publishes it, and the portal, the public API and the entity's credit record show it."""

from __future__ import annotations

import datetime as dt
import io

import docx
from django.urls import reverse

from jianguan.credit import timeline
from jianguan.enforcement import documents, publication, services

from .factories import filed_case, to_decided


def _text(doc) -> str:
    d = docx.Document(io.BytesIO(bytes(doc.docx)))
    return "\n".join([p.text for p in d.paragraphs] + [c.text for t in d.tables for r in t.rows for c in r.cells])


def test_decision_to_portal(client, district_officer, officers, legal, xh_head):
    case = filed_case(actor=xh_head, officers=officers)
    filing = documents.document_issue(case=case, kind="filing_approval", actor=district_officer)
    assert filing.number == case.number and "销售不合格产品" in _text(filing)
    penalty = to_decided(case, actor=xh_head, legal=legal, fine="20000")
    notice = documents.document_issue(case=case, kind="prior_notice", actor=district_officer)
    assert "罚款人民币20,000.00元" in _text(notice)
    decision = documents.document_issue(case=case, kind="penalty_decision", actor=district_officer)
    text = _text(decision)
    assert decision.number == penalty.decision_no
    assert "《产品质量法》第四十九条" in text and "当事人明确表示放弃陈述、申辩" in text

    # Dates counted by hand from the factories: discovered Mon 2026-03-02, filed 3 days later (03-05), the prior
    # notice served 21 days after filing (03-26), decided 8 days after that (04-03); served the next day, 04-04.
    assert penalty.decided_on == dt.date(2026, 4, 3)
    day = dt.date(2026, 4, 4)

    # decided but not served: the sweep schedules it and waits
    counts = publication.publication_sweep(today=day, stdout=None)
    assert (counts["scheduled"], counts["published"]) == (1, 0)
    receipt = documents.document_issue(case=case, kind="service_receipt", actor=district_officer,
                                       inputs={"served_document": f"行政处罚决定书（{decision.number}）",
                                               "method": "直接送达", "recipient": "法定代表人"})
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=day, recipient="法定代表人", proof=receipt.number, is_decision=True)
    counts = publication.publication_sweep(today=day, stdout=None)
    assert counts["published"] == 1
    pub = penalty.publication
    pub.refresh_from_db()
    assert pub.status == "published" and pub.published_on == day and not pub.is_light
    # Shown for 3 years (Order 45 art. 13): 36 months from 2026-04-04 end on the day with the same number,
    # 2029-04-04 (2026-04 + 36 months = 2029-04; the 4th exists in April).
    assert pub.ends_on == dt.date(2029, 4, 4)

    page = client.get(reverse("enforcement_public:index"), {"q": case.entity.uscc}).content.decode()
    assert penalty.decision_no in page
    detail = client.get(reverse("enforcement_public:detail", args=[pub.pk])).content.decode()
    assert "销售不合格电线" in detail and "罚款人民币20,000.00元" in detail
    api = client.get("/api/v1/public/penalties/", {"q": case.entity.name}).json()
    assert [r["decision_no"] for r in api["results"]] == [penalty.decision_no]
    public_events = [e.title for e in timeline.events_for(case.entity, None) if e.source == "enforcement"]
    assert public_events == [f"行政处罚：{penalty.decision_no}"]
