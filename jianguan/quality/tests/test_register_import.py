"""Quality registers: duplicate award refused; imports all or nothing; permissions; menu, card, API."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook

from jianguan.core.errors import ValidationFailed
from jianguan.quality import services
from jianguan.quality.models import QualityAward, Visit

pytestmark = pytest.mark.django_db
HEADERS = {
    "reports": ("资质认定证书编号", "报告编号", "检验检测项目", "样品/对象", "报告日期", "结论"),
    "visits": ("园区名称", "企业统一社会信用代码", "计划走访日期", "走访人员"),
}


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("rows.xlsx", data)


def test_duplicate_award_is_refused(quality_officer, entity_in):
    firm = entity_in("410402", unit="41040201")
    services.award_create(actor=quality_officer, entity=firm, kind="city_award", year=2026, document_no="平政〔2026〕1号")
    with pytest.raises(ValidationFailed, match="不能重复登记"):
        services.award_create(actor=quality_officer, entity=firm, kind="city_award", year=2026, document_no="另一号")
    assert QualityAward.objects.count() == 1


def test_visit_plan_import_is_all_or_nothing(park, quality_officer, entity_in, login):
    a, b = entity_in("410421"), entity_in("410421")
    data = xlsx([HEADERS["visits"], ("宝丰县产业集聚区", a.uscc, "2026-04-01", "甲"),
                 ("不存在的园区", b.uscc, "2026-04-02", "乙")])
    client = login(quality_officer)
    response = client.post("/workbench/quality/visits/import/", {"file": upload(data)})
    assert [(e["row"], e["column"]) for e in response.context["errors"]] == [(3, "园区名称")]
    assert not Visit.objects.exists()
    data = xlsx([HEADERS["visits"], ("宝丰县产业集聚区", a.uscc, "2026-04-01", "甲"),
                 ("宝丰县产业集聚区", b.uscc, "2026-04-02", "乙")])
    assert client.post("/workbench/quality/visits/import/", {"file": upload(data)}).context["created"] == 2


def test_quality_officer_role_does_not_reach_the_bodies(org, login):
    from jianguan.core.tests.factories import staff

    user = staff("only_quality", "410400ZL", ["quality_officer"], credential=False)
    client = login(user)
    assert client.get("/workbench/quality/visits/").status_code == 200
    assert client.get("/workbench/quality/institutions/").status_code == 403


def test_menu_card_and_list_query_count(park, quality_officer, entity_in, login, django_assert_max_num_queries):
    for day in range(1, 6):
        services.visit_plan(actor=quality_officer, park=park, entity=entity_in("410421"),
                            planned_on=dt.date(2026, 3, day), team="甲")
    client = login(quality_officer)
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="quality-card"' in home and "检验检测机构" in home
    with django_assert_max_num_queries(18):
        assert client.get("/workbench/quality/visits/").status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get("/workbench/quality/coverage/").status_code == 200


def test_api_coverage_and_visit_record(park, quality_officer, entity_in, client):
    from jianguan.core.services import api_token_create

    token = api_token_create(actor=quality_officer, name="t")[1]
    headers = {"Authorization": f"Bearer {token}"}
    visit = services.visit_plan(actor=quality_officer, park=park, entity=entity_in("410421"),
                                planned_on=dt.date(2026, 3, 2), team="甲")
    out = client.post(f"/api/v1/quality/visits/{visit.pk}/record", {"visited_on": "2026-03-02", "problem_count": 1,
                                                                     "problems": "无", "help_given": "指导"},
                      content_type="application/json", headers=headers)
    assert out.json()["follow_up_due"] == "2026-04-01"
    again = client.post(f"/api/v1/quality/visits/{visit.pk}/record", {"visited_on": "2026-03-02"},
                        content_type="application/json", headers=headers)
    assert again.status_code == 409
    rows = client.get("/api/v1/quality/coverage?year=2026", headers=headers).json()
    assert rows[0]["enterprises_visited"] == 1
    listing = client.get("/api/v1/quality/visits", headers=headers).json()
    assert listing["count"] == 1
