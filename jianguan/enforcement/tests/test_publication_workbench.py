"""Staff see their units' notices, the head publishes or ends one; other districts see nothing."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from jianguan.core.models import AuditEntry
from jianguan.enforcement import publication
from jianguan.enforcement.document_models import Publication

from .docfixtures import make_case, make_penalty


def _pending(officer):
    today = timezone.localdate()
    penalty = make_penalty(make_case(officers=[officer]), decided_on=today - dt.timedelta(days=2))
    return publication.publication_schedule(penalty=penalty, actor="system", today=today)


def test_head_publishes_now_and_ends_with_a_reason(login, district_officer, xh_head):
    pub = _pending(district_officer)
    client = login(xh_head)
    page = client.get(reverse("enforcement_documents:publications")).content.decode()
    assert pub.decision_no in page
    client.post(reverse("enforcement_documents:publication_action", args=[pub.pk, "publish"]))
    pub.refresh_from_db()
    assert pub.status == "published" and pub.published_on == timezone.localdate()
    assert AuditEntry.objects.filter(action="enforcement.publication.published", actor=xh_head).exists()
    client.post(reverse("enforcement_documents:publication_action", args=[pub.pk, "end"]), {"note": ""})
    pub.refresh_from_db()
    assert pub.status == "published"  # an early end needs its ground
    client.post(reverse("enforcement_documents:publication_action", args=[pub.pk, "end"]),
                {"note": "复议决定撤销原处罚决定"})
    pub.refresh_from_db()
    assert (pub.status, pub.end_reason) == ("ended", "revoked")


def test_officer_sees_but_may_not_publish(login, district_officer):
    pub = _pending(district_officer)
    client = login(district_officer)
    assert pub.decision_no in client.get(reverse("enforcement_documents:publications")).content.decode()
    response = client.post(reverse("enforcement_documents:publication_action", args=[pub.pk, "publish"]))
    assert response.status_code == 403
    assert Publication.objects.get(pk=pub.pk).status == "pending"


def test_other_district_sees_nothing(login, district_officer, other_district_officer):
    pub = _pending(district_officer)
    client = login(other_district_officer)
    assert pub.decision_no not in client.get(reverse("enforcement_documents:publications")).content.decode()
