"""No portal IDOR (#14, "what held: 0 portal IDOR in 82 tries", kept with a test): every portal URL of the
start-up service that names an application or an entity, walked from the URL configuration (so a route added later
is covered), answers another applicant with a 404 — GET and POST — and changes nothing of the owner's."""

import pytest
from django.urls import URLPattern

from jianguan.core.models import AuditEntry
from jianguan.startup import public_urls, services
from jianguan.startup.models import Application

from . import factories

pytestmark = pytest.mark.django_db

#: Routes that are public by design (a deregistration notice takes objections from anyone).
PUBLIC_BY_DESIGN = {"objection"}


def _routes():
    for p in public_urls.urlpatterns:
        if isinstance(p, URLPattern) and p.name not in PUBLIC_BY_DESIGN and (
                "<int:pk>" in str(p.pattern) or "<str:uscc>" in str(p.pattern)):
            yield p


def _fill(pattern: str, app, entity) -> str:
    return ("/startup/" + pattern.replace("<int:pk>", str(app.pk)).replace("<str:uscc>", entity.uscc)
            .replace("<str:step>", "name").replace("<str:code>", "seal").replace("<str:kind>", "change"))


def test_every_application_route_answers_another_applicant_with_404(org, client):
    owner = factories.applicant()
    approved = services.application_submit(actor=owner, application=factories.application(owner))
    draft = factories.application(owner, trade="松柏")
    assert approved.entity is not None and draft.state == Application.State.DRAFT
    stranger = factories.applicant("stranger_idor", phone="13900000077")
    client.force_login(stranger)
    routes = list(_routes())
    assert {"detail", "step", "submit", "licence", "companion", "entity_apply"} <= {r.name for r in routes}
    before = (Application.objects.count(), AuditEntry.objects.count(), draft.name, approved.state)
    for route in routes:
        for app in (approved, draft):
            url = _fill(str(route.pattern), app, approved.entity)
            for method in ("get", "post"):
                r = getattr(client, method)(url, {"name_trade": "劫持", "status": "done", "note": "x"})
                assert r.status_code in (404, 405), (route.name, method, url, r.status_code)
    draft.refresh_from_db()
    approved.refresh_from_db()
    assert (Application.objects.count(), AuditEntry.objects.count(), draft.name, approved.state) == before
