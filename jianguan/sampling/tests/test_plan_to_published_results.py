"""A quality supervisor runs a plan from draw to published results: the draw is verifiable from its bundle, the
conclusion is computed from the standard, the unqualified product is followed up through every clock, and the
result reaches the portal, the producer's public record and the open data dump."""

import datetime as dt
import json

import pytest

from jianguan.enforcement.models import Lead
from jianguan.inspections import draw
from jianguan.sampling import services
from jianguan.sampling.models import Plan, Sample

from .factories import TODAY, at_lab, drawn_plan, supervisor, values

pytestmark = pytest.mark.django_db


def test_the_draw_takes_the_quota_per_district_and_its_bundle_verifies(org):
    user = supervisor()
    plan = drawn_plan(user)
    assert plan.status == Plan.Status.DRAWN
    samples = list(plan.samples.select_related("entity__unit"))
    by_district = sorted(s.stratum for s in samples)
    assert by_district == ["410402", "410402", "410403"]
    assert all(s.sampler_id == user.pk for s in samples)
    bundle = json.loads(plan.bundle)
    assert draw.verify(bundle) == [] and bundle["commitment"] == plan.commitment
    with pytest.raises(services.TransitionNotAllowed):
        services.plan_draw(actor=user, plan=plan, randomness="999")


def test_a_quota_above_the_producers_of_a_district_is_refused(org):
    user = supervisor()
    with pytest.raises(services.ValidationFailed) as exc:
        drawn_plan(user, quotas={"410402": 9})
    assert "超过该县区符合条件的生产销售者数" in exc.value.message


def test_qualified_and_unqualified_are_computed_from_the_limits(org):
    user = supervisor()
    plan = drawn_plan(user)
    first, second, _ = plan.samples.order_by("id")
    ok = services.result_record(actor=user, sample=at_lab(user, first), values=values(plan.standard), lab="检验中心",
                                report_no="R1", tested_on=dt.date(2026, 9, 10), today=TODAY)
    bad = services.result_record(actor=user, sample=at_lab(user, second),
                                 values=values(plan.standard, **{"pH 值": ("8.6", "—")}), lab="检验中心",
                                 report_no="R2", tested_on=dt.date(2026, 9, 10), today=TODAY)
    assert ok.status == Sample.Status.QUALIFIED and bad.status == Sample.Status.UNQUALIFIED
    assert [r.conforms for r in bad.results.order_by("item__sort")] == [True, True, False]


def test_the_unqualified_follow_up_runs_its_clocks_and_ends_in_publication(org, client):
    from jianguan.portal import opendata, records

    user = supervisor()
    plan = drawn_plan(user)
    samples = list(plan.samples.order_by("id"))
    for s in samples[1:]:
        services.result_record(actor=user, sample=at_lab(user, s), values=values(plan.standard), lab="检验中心",
                               report_no=f"R{s.pk}", tested_on=dt.date(2026, 9, 10), today=TODAY)
    sample = services.result_record(actor=user, sample=at_lab(user, samples[0]),
                                    values=values(plan.standard, 过滤效率=("90.1", "%")), lab="检验中心",
                                    report_no="R0", tested_on=dt.date(2026, 9, 10), today=TODAY)
    # served Thursday 17 September 2026: 15 days end on Friday 2 October, inside the National Day holiday
    # (1–7 October 2026, State Council notice); the period ends on the next working day, Thursday 8 October
    sample = services.result_served(actor=user, sample=sample, served_on=dt.date(2026, 9, 17), today=TODAY)
    assert sample.objection_deadline == dt.date(2026, 10, 8)
    assert sample.rectification_deadline == dt.date(2026, 10, 17)
    with pytest.raises(services.ValidationFailed) as exc:
        services.objection_file(actor=user, sample=sample, on=dt.date(2026, 10, 9), today=TODAY)
    assert "已超过异议期" in exc.value.message and "2026-10-08" in exc.value.message
    with pytest.raises(services.TransitionNotAllowed):
        services.retest_record(actor=user, sample=sample, values=values(plan.standard), lab="省院", report_no="F1",
                               tested_on=dt.date(2026, 10, 20), today=TODAY)
    services.objection_file(actor=user, sample=sample, on=dt.date(2026, 10, 8), today=TODAY)
    sample = services.retest_record(actor=user, sample=sample, values=values(plan.standard, 过滤效率=("91", "%")),
                                    lab="省院", report_no="F1", tested_on=dt.date(2026, 10, 20), today=TODAY)
    assert sample.status == Sample.Status.UNQUALIFIED and sample.retest_conclusion == "unqualified"
    with pytest.raises(services.TransitionNotAllowed):
        services.sample_close(actor=user, sample=sample, today=TODAY)
    services.rectification_done(actor=user, sample=sample, on=dt.date(2026, 10, 30), today=TODAY)
    resample = services.resample(actor=user, sample=sample)
    assert services.resample(actor=user, sample=sample).pk == resample.pk and resample.resample_of_id == sample.pk
    lead_id = services.lead_open(actor=user, sample=sample, today=TODAY)
    assert services.lead_open(actor=user, sample=sample, today=TODAY) == lead_id
    lead = Lead.objects.get(pk=lead_id)
    assert lead.entity_id == sample.entity_id and "过滤效率" in lead.description
    closed = services.sample_close(actor=user, sample=sample, today=TODAY)
    assert closed.status == Sample.Status.CLOSED

    services.plan_publish(actor=user, plan=plan, on=TODAY)
    body = client.get(f"/sampling/{plan.code}/").content.decode()
    assert sample.entity.name in body and "不合格" in body and "合格" in body
    assert plan.title in client.get("/sampling/").content.decode()
    record = json.loads(records.get(sample.entity.uscc)[0])
    assert any(e["category"] == "产品质量监督抽查" and "不合格" in e["detail"] for e in record["other_events"])
    dataset = next(d for d in opendata.DATASETS if d.name == "sampling_results")
    rows = list(dataset.rows(TODAY))
    assert len(rows) == 3 and {r[10] for r in rows} == {"qualified", "unqualified"}


def test_the_sweep_hands_an_unrectified_product_to_enforcement_once(org):
    from jianguan.core.sweep import run

    user = supervisor()
    plan = drawn_plan(user)
    sample = plan.samples.order_by("id").first()
    sample = services.result_record(actor=user, sample=at_lab(user, sample),
                                    values=values(plan.standard, 吸气阻力=("260", "Pa")), lab="检验中心",
                                    report_no="R0", tested_on=dt.date(2026, 9, 10), today=TODAY)
    services.result_served(actor=user, sample=sample, served_on=dt.date(2026, 9, 17), today=TODAY)
    assert run(today=dt.date(2026, 10, 17), only="sampling-rectification-overdue")[0].counts == {"leads": 0}
    assert run(today=dt.date(2026, 10, 18), only="sampling-rectification-overdue")[0].counts == {"leads": 1}
    assert run(today=dt.date(2026, 10, 19), only="sampling-rectification-overdue")[0].counts == {"leads": 0}
