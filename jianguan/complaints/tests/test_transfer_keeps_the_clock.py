"""A transfer between units records its reason and never restarts the clock."""

import datetime as dt

import pytest

from jianguan.complaints import services
from jianguan.complaints.models import Transfer
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit

from .factories import business, complaint

pytestmark = pytest.mark.django_db


def test_transfer_moves_the_complaint_and_keeps_receipt_date_and_deadline(org, xh_handler, login):
    c, _ = complaint(entity=business("41040201"), received_on=dt.date(2026, 9, 24))
    services.complaint_claim(actor=xh_handler, complaint=c)
    target = OrgUnit.objects.get(code="410403")
    c = services.complaint_transfer(actor=xh_handler, complaint=c, to_unit=target, reason="经营场所在卫东区")
    c.refresh_from_db()
    assert c.unit == target and c.handler is None
    assert c.received_on == dt.date(2026, 9, 24) and c.accept_due == dt.date(2026, 10, 12)
    t = Transfer.objects.get()
    assert (t.from_unit.code, t.to_unit.code, t.reason) == ("41040201", "410403", "经营场所在卫东区")
    # The former unit no longer sees it.
    assert login(xh_handler).get(f"/workbench/complaints/{c.number}/").status_code == 404


def test_transfer_needs_a_reason_and_an_open_complaint(org, xh_handler):
    c, _ = complaint(entity=business())
    target = OrgUnit.objects.get(code="410403")
    with pytest.raises(ValidationFailed):
        services.complaint_transfer(actor=xh_handler, complaint=c, to_unit=target, reason=" ")
    services.complaint_refuse(actor=xh_handler, complaint=c, reason="no_demand")
    with pytest.raises(TransitionNotAllowed):
        services.complaint_transfer(actor=xh_handler, complaint=c, to_unit=target, reason="转办")


def test_transfer_through_the_workbench(org, xh_handler, login):
    c, _ = complaint(entity=business())
    target = OrgUnit.objects.get(code="41040202")
    response = login(xh_handler).post(f"/workbench/complaints/{c.number}/transfer/",
                                      {"transfer-to_unit": target.pk, "transfer-reason": "属焦店所辖区"})
    assert response.status_code == 302
    c.refresh_from_db()
    assert c.unit == target
