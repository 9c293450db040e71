"""A granted credit repair of the penalty's publication ends it at once; the credit record shows the notice."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from jianguan.credit import services as credit_services
from jianguan.credit import timeline
from jianguan.credit.models import RepairKind
from jianguan.enforcement import publication
from jianguan.enforcement.document_models import Publication

from .docfixtures import make_case, make_penalty

PUBLISHED = dt.date(2026, 1, 5)


def _published(officer):
    penalty = make_penalty(make_case(officers=[officer]), decided_on=dt.date(2025, 12, 29), kinds=["fine"],
                           fine="50000")
    pub = publication.publication_schedule(penalty=penalty, actor=officer, today=PUBLISHED)
    return publication.publication_publish(publication=pub, actor=officer, today=PUBLISHED)


def test_granted_repair_ends_publication(district_officer):
    pub = _published(district_officer)
    assert pub.ends_on == dt.date(2029, 1, 5)
    app = credit_services.repair_apply(actor="system", entity=pub.entity, kind=RepairKind.PENALTY_PUBLICATION,
                                       statement="已整改并作出信用承诺", penalty_ref=pub.decision_no,
                                       penalty_sector="other", penalty_published_on=PUBLISHED,
                                       today=dt.date(2026, 8, 1))
    credit_services.repair_decide(actor=district_officer, application=app, approve=True, today=dt.date(2026, 8, 3))
    pub.refresh_from_db()
    assert (pub.status, pub.end_reason, pub.ended_on) == ("ended", "repaired", dt.date(2026, 8, 3))
    assert not publication.shown(dt.date(2026, 8, 3)).filter(pk=pub.pk).exists()
    pub.penalty.refresh_from_db()
    assert pub.penalty.publication_ends_on == dt.date(2026, 8, 2)
    # the sweep finds nothing left to do
    assert publication.publication_sweep(today=dt.date(2026, 8, 4), stdout=None)["repaired"] == 0


def test_rejected_repair_changes_nothing(district_officer):
    pub = _published(district_officer)
    app = credit_services.repair_apply(actor="system", entity=pub.entity, kind=RepairKind.PENALTY_PUBLICATION,
                                       statement="申请", penalty_ref=pub.decision_no, penalty_sector="other",
                                       penalty_published_on=PUBLISHED, today=dt.date(2026, 8, 1))
    credit_services.repair_decide(actor=district_officer, application=app, approve=False, reason="未整改",
                                  today=dt.date(2026, 8, 3))
    assert Publication.objects.get(pk=pub.pk).status == "published"


def test_credit_record_shows_the_penalty_to_the_public_only_while_published(district_officer):
    today = timezone.localdate()
    penalty = make_penalty(make_case(officers=[district_officer]), decided_on=today - dt.timedelta(days=5))
    pub = publication.publication_schedule(penalty=penalty, actor=district_officer, today=today)

    def public_titles():
        return [e.title for e in timeline.events_for(penalty.entity, None) if e.source == "enforcement"]

    assert public_titles() == []  # decided, not yet published
    publication.publication_publish(publication=pub, actor=district_officer, today=today)
    assert public_titles() == [f"行政处罚：{penalty.decision_no}"]
    publication.publication_end(publication=pub, actor=district_officer, reason="revoked", note="复议撤销",
                                today=today)
    assert public_titles() == []
    assert [e.title for e in timeline.events_for(penalty.entity, district_officer) if e.source == "enforcement"]
