"""Certification and testing bodies: a report outside the accreditation (expired, or an item outside the scope) is
refused; the bodies are double-random objects with their items."""

import datetime as dt

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.inspections.models import InspectionItem, InspectionPlan
from jianguan.inspections.queries import pool_queryset
from jianguan.quality import services
from jianguan.quality.models import Certificate, TestReport

from .test_register_import import HEADERS, upload, xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab(quality_officer, entity_in):
    return services.testing_institution_create(actor=quality_officer, entity=entity_in("410402", unit="41040201"),
                                               cma_no="161612050001", scope=["甲醛释放量", "燃烧性能"],
                                               issued_on=dt.date(2020, 5, 10))


def test_accreditation_runs_six_years_to_the_day_before(lab):
    assert lab.valid_until == dt.date(2026, 5, 9)


def test_report_after_the_accreditation_expired_is_refused(lab, quality_officer):
    with pytest.raises(ValidationFailed, match="不在有效期内") as exc:
        services.test_report_create(actor=quality_officer, institution=lab, number="JC-1", item="甲醛释放量",
                                    sample="人造板", issued_on=dt.date(2026, 5, 10), conclusion="fail")
    assert exc.value.field == "issued_on"
    services.test_report_create(actor=quality_officer, institution=lab, number="JC-1", item="甲醛释放量",
                                sample="人造板", issued_on=dt.date(2026, 5, 9), conclusion="fail")
    assert TestReport.objects.count() == 1


def test_report_for_an_item_outside_the_scope_is_refused(lab, quality_officer):
    with pytest.raises(ValidationFailed, match="不在.*能力范围内") as exc:
        services.test_report_create(actor=quality_officer, institution=lab, number="JC-2", item="重金属含量",
                                    sample="玩具", issued_on=dt.date(2026, 3, 1), conclusion="pass")
    assert exc.value.field == "item"


def test_expiry_beyond_six_years_is_refused(quality_officer, entity_in):
    with pytest.raises(ValidationFailed, match="有效期为 6 年"):
        services.testing_institution_create(actor=quality_officer, entity=entity_in("410402", unit="41040201"),
                                            cma_no="161612050002", scope=["燃烧性能"], issued_on=dt.date(2020, 5, 10),
                                            valid_until=dt.date(2026, 5, 10))


def test_import_of_reports_names_the_expired_row(lab, quality_officer, login):
    data = xlsx([HEADERS["reports"], ("161612050001", "JC-10", "甲醛释放量", "人造板", "2026-03-01", "合格"),
                 ("161612050001", "JC-11", "燃烧性能", "电线", "2026-06-01", "不合格")])
    response = login(quality_officer).post("/workbench/quality/reports/import/", {"file": upload(data)})
    assert [(e["row"], e["column"]) for e in response.context["errors"]] == [(3, "报告日期")]
    assert not TestReport.objects.exists()


def test_certificate_issued_after_the_body_approval_lapsed_is_refused(quality_officer, entity_in):
    body = services.certification_body_create(actor=quality_officer, entity=entity_in("410402", unit="41040201"),
                                              approval_no="CNCA-R-2018-001", fields_of_work=["产品认证"],
                                              issued_on=dt.date(2018, 1, 1), valid_until=dt.date(2023, 12, 31))
    holder = entity_in("410402", unit="41040201")
    with pytest.raises(ValidationFailed, match="批准书已过期"):
        services.certificate_create(actor=quality_officer, body=body, holder=holder, number="2024000001",
                                    kind="ccc", scope="电线电缆", issued_on=dt.date(2024, 3, 1),
                                    valid_until=dt.date(2029, 3, 1))
    assert not Certificate.objects.exists()


def test_bodies_are_double_random_objects_with_their_items(lab, quality_officer, org):
    assert set(InspectionItem.objects.filter(code__in=["SJ-RZ-01", "SJ-JC-01"]).values_list("object_type", flat=True)) \
        == {"认证机构", "检验检测机构"}
    plan = InspectionPlan.objects.create(code="P-JC-1", year=2026, unit=org["410400"], title="检验检测机构抽查",
                                         filter_licence_kinds=["testing_cma"], ratios={"B": "1"}, min_age_months=0,
                                         exclusion_months=0)
    assert list(pool_queryset(plan, dt.date(2026, 3, 1)).values_list("pk", flat=True)) == [lab.entity_id]


def test_public_page_lists_bodies_without_personal_data(lab, quality_officer, entity_in, client,
                                                        django_assert_max_num_queries):
    services.quality_officer_create(actor=quality_officer, entity=lab.entity, name="陈志强", position="副总经理",
                                    appointed_on=dt.date(2025, 1, 1))
    with django_assert_max_num_queries(8):
        html = client.get("/quality/bodies/").content.decode()
    assert "161612050001" in html and "甲醛释放量" in html
    assert "陈志强" not in html and lab.entity.phone not in html and lab.entity.legal_rep_id_no not in html
