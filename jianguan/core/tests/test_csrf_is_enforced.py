"""CSRF (#14, the assessor's line "CSRF on every form and session API call"): a workbench form and an API write made
with the session cookie are refused without the CSRF token, and nothing is written; a bearer token needs none."""

import pytest
from django.test import Client

from jianguan.core.models import ApiToken
from jianguan.core.twofactor import otp_required, verify_session_for_tests
from jianguan.enforcement.models import Lead, LeadStatus
from jianguan.enforcement.tests import factories as ef

pytestmark = pytest.mark.django_db

DECLINE = {"status": "not_filed", "note": "经核查不构成违法"}


def _session(user) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    if otp_required(user):
        verify_session_for_tests(client, user)
    return client


def test_session_writes_without_the_csrf_token_are_refused(org):
    officer = ef.officer("csrf_officer", roles=("case_officer",))
    lead = ef.lead(actor=officer)
    client = _session(officer)
    r = client.post(f"/api/v1/enforcement/leads/{lead.pk}/decline", DECLINE, content_type="application/json")
    assert r.status_code == 403, r.content[:200]
    r = client.post(f"/workbench/enforcement/leads/{lead.pk}/decline/", {"decline-status": "not_filed",
                                                                         "decline-note": "经核查不构成违法"})
    assert r.status_code == 403
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.NEW
    # with the token from the page, the same API call goes through
    client.get("/workbench/")
    r = client.post(f"/api/v1/enforcement/leads/{lead.pk}/decline", DECLINE, content_type="application/json",
                    headers={"X-CSRFToken": client.cookies["csrftoken"].value})
    assert r.status_code == 200, r.content[:300]
    assert Lead.objects.get(pk=lead.pk).status == LeadStatus.NOT_FILED


def test_a_bearer_token_needs_no_csrf_token(org):
    officer = ef.officer("csrf_token_officer", roles=("case_officer",))
    lead = ef.lead(actor=officer)
    raw = ApiToken.generate()
    ApiToken.objects.create(user=officer, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    r = Client(enforce_csrf_checks=True).post(f"/api/v1/enforcement/leads/{lead.pk}/decline", DECLINE,
                                              content_type="application/json",
                                              headers={"Authorization": f"Bearer {raw}"})
    assert r.status_code == 200, r.content[:300]
