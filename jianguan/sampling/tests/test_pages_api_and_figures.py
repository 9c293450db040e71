"""Workbench pages in scope with a fixed number of queries, the API (wrong unit refused in the one error format),
the home card, the entity page, the work plan's figure, and the demo."""

import datetime as dt
import io

import pytest

from jianguan.core.scope import EVERYTHING
from jianguan.core.tests.factories import staff
from jianguan.sampling import services
from jianguan.sampling.selectors import sampling_unqualified_handled

from .factories import TODAY, at_lab, drawn_plan, supervisor, values

pytestmark = pytest.mark.django_db


def test_pages_render_in_a_fixed_number_of_queries_and_keep_to_the_scope(org, login, django_assert_max_num_queries):
    user = supervisor()
    plan = drawn_plan(user)
    sample = plan.samples.order_by("id").first()
    client = login(user)
    for url in ("/workbench/sampling/", f"/workbench/sampling/{plan.code}/", "/workbench/sampling/followup/",
                f"/workbench/sampling/samples/{sample.pk}/"):
        with django_assert_max_num_queries(24):
            assert client.get(url).status_code == 200
    other = staff("wd_t", "410403", ["department_head"])
    xh_sample = plan.samples.filter(stratum="410402").first()
    assert login(other).get(f"/workbench/sampling/samples/{xh_sample.pk}/").status_code == 404
    assert login(staff("reg_t", "410402", ["registrar"])).get("/workbench/sampling/").status_code == 403


def test_the_workbench_records_a_result_and_shows_the_computed_conclusion(org, login):
    user = supervisor()
    plan = drawn_plan(user)
    sample = at_lab(user, plan.samples.order_by("id").first())
    client = login(user)
    data = {"lab": "检验中心", "report_no": "R9", "tested_on": "2026-09-10"}
    for item in plan.standard.items.all():
        data[f"value_{item.pk}"] = {"过滤效率": "94", "吸气阻力": "150", "pH 值": "7"}[item.name]
        data[f"unit_{item.pk}"] = item.unit
    client.post(f"/workbench/sampling/samples/{sample.pk}/result/", data)
    sample.refresh_from_db()
    assert sample.status == "unqualified"
    body = client.get(f"/workbench/sampling/samples/{sample.pk}/").content.decode()
    assert "不符合" in body and 'data-testid="followup"' in body


def test_the_api_lists_plans_and_refuses_a_value_in_the_wrong_unit(org, login):
    user = supervisor()
    plan = drawn_plan(user)
    sample = at_lab(user, plan.samples.order_by("id").first())
    client = login(user)
    plans = client.get("/api/v1/sampling/plans").json()
    assert plans[0]["code"] == plan.code and len(plans[0]["items"]) == 3
    payload = {"values": values(plan.standard, 吸气阻力=("0.15", "kPa")), "lab": "中心", "report_no": "R",
               "tested_on": "2026-09-10"}
    r = client.post(f"/api/v1/sampling/samples/{sample.pk}/results", payload, content_type="application/json")
    assert r.status_code == 422 and "单位应为 Pa" in r.json()["error"]["message"]
    payload["values"] = values(plan.standard)
    r = client.post(f"/api/v1/sampling/samples/{sample.pk}/results", payload, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "qualified"


def test_the_home_card_and_the_entity_page_show_sampling(org, login):
    user = supervisor()
    plan = drawn_plan(user)
    sample = plan.samples.order_by("id").first()
    client = login(user)
    assert 'data-testid="sampling-card"' in client.get("/workbench/").content.decode()
    body = client.get(f"/workbench/registry/entities/{sample.entity.uscc}/").content.decode()
    assert 'data-testid="entity-samples"' in body and sample.number in body


def test_the_unqualified_handled_figure(org):
    from jianguan.workplan import metrics

    user = supervisor()
    plan = drawn_plan(user)
    first, second, _ = plan.samples.order_by("id")
    for s in (first, second):
        services.result_record(actor=user, sample=at_lab(user, s), values=values(plan.standard, 过滤效率=("90", "%")),
                               lab="中心", report_no=f"R{s.pk}", tested_on=dt.date(2026, 9, 10), today=TODAY)
    services.result_served(actor=user, sample=first, served_on=dt.date(2026, 9, 17), today=TODAY)
    services.lead_open(actor=user, sample=first, today=TODAY)
    assert sampling_unqualified_handled(EVERYTHING, 2026) == {"unqualified": 2, "handled": 1, "rate": 0.5}
    reading = metrics.get("sampling.unqualified_handled").fn(metrics.Context(EVERYTHING, 2026, TODAY))
    assert (reading.numerator, reading.denominator) == (1, 2)


def test_the_demo_runs_plans_to_publication_and_is_idempotent(org):
    from jianguan.core.demo import build_staff
    from jianguan.registry.tests.factories import EntityFactory, IndustryFactory
    from jianguan.sampling.demo import demo_sampling
    from jianguan.sampling.models import Plan, Sample

    build_staff(org, TODAY)
    from jianguan.core.models import OrgUnit

    for unit in OrgUnit.objects.filter(kind="district"):
        station = OrgUnit.objects.filter(parent=unit).first()
        for _ in range(2):
            EntityFactory(unit=station)
            EntityFactory(unit=station, industry=IndustryFactory(code="51", name="批发业"))
    out = demo_sampling(today=TODAY, stdout=io.StringIO())
    assert out["plans"] == 8 and out["samples"] == 80
    assert Plan.objects.filter(status="published").count() == 6
    assert Sample.objects.filter(status__in=("unqualified", "closed")).exists()
    demo_sampling(today=TODAY, stdout=io.StringIO())
    assert Sample.objects.filter(resample_of__isnull=True).count() == 80


def test_the_followup_queue_counts_and_exports_the_unqualified_samples(org, login):
    from jianguan.core.models import AuditEntry
    from jianguan.core.tests.xlsx import rows

    user = supervisor()
    plan = drawn_plan(user)
    sample = at_lab(user, plan.samples.order_by("id").first())
    client = login(user)
    data = {"lab": "检验中心", "report_no": "R9", "tested_on": "2026-09-10"}
    for item in plan.standard.items.all():
        data[f"value_{item.pk}"] = {"过滤效率": "94", "吸气阻力": "150", "pH 值": "7"}[item.name]
        data[f"unit_{item.pk}"] = item.unit
    client.post(f"/workbench/sampling/samples/{sample.pk}/result/", data)
    body = client.get("/workbench/sampling/followup/").content.decode()
    assert 'data-testid="list-total">1<' in body and "整改期限最近的在前" in body and sample.number in body
    assert sample.number not in client.get("/workbench/sampling/followup/", {"q": "不存在"}).content.decode()
    got = rows(client.get("/workbench/sampling/followup/", {"export": "xlsx", "sort": "-number"}))
    assert got[0][:3] == ("样品", "被抽样单位", "产品") and [r[0] for r in got[1:]] == [sample.number]
    assert AuditEntry.objects.filter(action="list.exported", object_id="sampling.followup").exists()
