"""The portal's stored public record of the party follows the penalty: absent while unpublished, shown once
published, and stored as good for one day only (the publication period ends on a date, without any write)."""

import datetime as dt

from django.utils import timezone

from jianguan.portal import public, records
from jianguan.portal.models import PublicRecord
from jianguan.registry.models import Entity

from .factories import filed_case, to_decided


def test_stored_record_follows_publication(client, district_officer, officers, legal):
    case = filed_case(actor=district_officer, officers=officers)
    penalty = to_decided(case, actor=district_officer, legal=legal)
    url = f"/api/v1/entities/{case.entity.uscc}"
    assert client.get(url).json()["other_events"] == []
    today = timezone.localdate()
    assert PublicRecord.objects.get(entity=case.entity).valid_until == today + dt.timedelta(days=1)

    # what publication.py writes when the decision is published
    penalty.published_on, penalty.publication_ends_on = today, today + dt.timedelta(days=90)
    penalty.save(update_fields=["published_on", "publication_ends_on"])
    served = client.get(url)
    assert [e["title"] for e in served.json()["other_events"]] == [f"行政处罚：{penalty.decision_no}"]
    assert served.content == records.render(public.record(Entity.objects.get(pk=case.entity_id)))
