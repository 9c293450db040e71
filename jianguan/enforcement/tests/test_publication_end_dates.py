"""Light penalties are shown 3 months, others 3 years; the daily sweep ends them, once."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.models import AuditEntry, RuleValue
from jianguan.enforcement import publication
from jianguan.enforcement.document_models import Publication

from .docfixtures import make_case, make_penalty

PUBLISHED = dt.date(2026, 4, 10)


def _published(officer, **kw):
    penalty = make_penalty(make_case(officers=[officer]), decided_on=dt.date(2026, 4, 1), **kw)
    pub = publication.publication_schedule(penalty=penalty, actor=officer, today=PUBLISHED)
    return publication.publication_publish(publication=pub, actor=officer, today=PUBLISHED)


@pytest.mark.parametrize("kinds, fine, light", [
    (["criticism"], "0", True),
    (["fine"], "10000", True),
    (["warning", "fine"], "3000", True),
    (["fine"], "10000.01", False),
    (["fine", "confiscate_income"], "500", False),
    (["licence_revocation"], "0", False),
])
def test_light_or_not(district_officer, kinds, fine, light):
    pub = _published(district_officer, kinds=kinds, fine=fine)
    assert pub.is_light is light
    assert pub.ends_on == (dt.date(2026, 7, 10) if light else dt.date(2029, 4, 10))
    pub.penalty.refresh_from_db()
    assert pub.penalty.publication_ends_on == pub.ends_on and pub.penalty.published_on == PUBLISHED


def test_threshold_is_a_rule(district_officer):
    # One threshold for the whole platform (services.is_light and publication read the same rule).
    RuleValue.objects.create(key="enforcement.light_fine_max", value={"individual": 500, "organisation": 5000},
                             effective_from=dt.date(2026, 1, 1))
    assert not _published(district_officer, kinds=["fine"], fine="6000").is_light


def test_end_of_month_without_a_corresponding_day(district_officer):
    assert publication.add_months(dt.date(2026, 11, 30), 3) == dt.date(2027, 2, 28)
    assert publication.add_months(dt.date(2027, 11, 30), 3) == dt.date(2028, 2, 29)


def test_sweep_ends_the_day_after_the_last_day_and_a_second_run_changes_nothing(district_officer):
    light = _published(district_officer, kinds=["criticism"], fine="0")
    heavy = _published(district_officer, kinds=["fine"], fine="50000")
    on_last_day = publication.publication_sweep(today=dt.date(2026, 7, 10), stdout=None)
    assert on_last_day["ended"] == 0
    assert publication.shown(dt.date(2026, 7, 10)).filter(pk=light.pk).exists()
    counts = publication.publication_sweep(today=dt.date(2026, 7, 11), stdout=None)
    assert counts["ended"] == 1
    light.refresh_from_db()
    assert (light.status, light.end_reason, light.ended_on) == ("ended", "expired", dt.date(2026, 7, 11))
    assert not publication.shown(dt.date(2026, 7, 11)).filter(pk=light.pk).exists()
    assert publication.shown(dt.date(2026, 7, 11)).filter(pk=heavy.pk).exists()

    audit_before = AuditEntry.objects.count()
    rows_before = list(Publication.objects.order_by("id").values())
    again = publication.publication_sweep(today=dt.date(2026, 7, 11), stdout=None)
    assert all(v == 0 for v in again.values())
    assert AuditEntry.objects.count() == audit_before
    assert list(Publication.objects.order_by("id").values()) == rows_before

    assert publication.publication_sweep(today=dt.date(2029, 4, 11), stdout=None)["ended"] == 1
    heavy.refresh_from_db()
    assert heavy.status == "ended"


def test_the_job_is_registered_with_jianguan_sweep(district_officer):
    from jianguan.core import sweep

    _published(district_officer, kinds=["criticism"], fine="0")
    outcomes = sweep.run(today=dt.date(2026, 7, 11), only="enforcement-penalty-publication")
    assert [(o.job.name, o.ok, o.counts["ended"]) for o in outcomes] == [("enforcement-penalty-publication", True, 1)]
