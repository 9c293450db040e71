"""The demo step publishes the demo's served decisions and prints their decision documents, idempotently."""

from __future__ import annotations

import datetime as dt
import io

from jianguan.enforcement import publication, services
from jianguan.enforcement.document_models import Document

from .factories import filed_case, to_decided


class _Out(io.StringIO):
    pass


def test_demo_step_publishes_and_prints(district_officer, officers, legal, xh_head):
    case = filed_case(actor=xh_head, officers=officers)
    penalty = to_decided(case, actor=xh_head, legal=legal)
    services.service_record(actor=district_officer, case=case, document_title="行政处罚决定书", method="direct",
                            served_on=penalty.decided_on + dt.timedelta(days=1), recipient="法定代表人",
                            proof="送达回证", is_decision=True)
    today = penalty.decided_on + dt.timedelta(days=2)
    first = publication.demo_publication(today=today, stdout=_Out())
    assert first == {"published": 1, "scheduled": 1, "decisions_printed": 1}
    assert Document.objects.get(case=case, kind="penalty_decision").number == penalty.decision_no
    again = publication.demo_publication(today=today, stdout=_Out())
    assert again == {"published": 0, "scheduled": 0, "decisions_printed": 0}
