import datetime as dt
import io

import pytest
from openpyxl import Workbook

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.standards import selectors, services
from jianguan.standards.models import EnterpriseStandard, Leader

pytestmark = pytest.mark.django_db


def _xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(list(row))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_duplicate_leader_is_refused(bz_officer, firm):
    services.leader_create(actor=bz_officer, entity=firm, product="中压电力电缆", standard_number="Q/PDSDL 001-2023",
                           year=2026, evaluator="某评估机构")
    with pytest.raises(ValidationFailed, match="不能重复登记"):
        services.leader_create(actor=bz_officer, entity=firm, product="中压电力电缆",
                               standard_number="Q/PDSDL 001-2023", year=2026, evaluator="某评估机构")
    with pytest.raises(ValidationFailed, match="企业标准的编号规则"):
        services.leader_create(actor=bz_officer, entity=firm, product="尼龙切片", standard_number="GB/T 1-2020",
                               year=2026, evaluator="某")
    assert Leader.objects.count() == 1


def test_milestones_are_done_once_and_late_ones_counted(bz_officer):
    project = services.pilot_create(actor=bz_officer, name="政务服务标准化试点", level="city", field="public",
                                    undertaker="市政务服务局", starts_on=dt.date(2025, 6, 1),
                                    ends_on=dt.date(2026, 12, 31))
    with pytest.raises(ValidationFailed, match="项目期限内"):
        services.milestone_add(actor=bz_officer, project=project, name="验收", due_on=dt.date(2027, 1, 5))
    m = services.milestone_add(actor=bz_officer, project=project, name="建立标准体系", due_on=dt.date(2025, 9, 1))
    services.milestone_add(actor=bz_officer, project=project, name="自评估", due_on=dt.date(2025, 12, 1))
    services.milestone_done(actor=bz_officer, milestone=m, done_on=dt.date(2025, 8, 28))
    with pytest.raises(TransitionNotAllowed):
        services.milestone_done(actor=bz_officer, milestone=m, done_on=dt.date(2025, 8, 29))
    row = selectors.pilots_for(bz_officer).get()
    assert (row.milestones_total, row.milestones_done, row.milestones_late) == (2, 1, 1)


def test_standards_import_names_the_bad_number_and_imports_nothing(bz_officer, firm, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    headers = ("企业统一社会信用代码", "标准类别", "标准编号", "标准名称", "企业的作用", "自我声明公开/发布日期")
    data = _xlsx([headers, (firm.uscc, "国家标准", "GB/T 19001-2016", "质量管理体系", "执行（采用）", "2026-03-01"),
                  (firm.uscc, "团体标准", "T/CAS-115-2005", "某团体标准", "主导制定", "2026-03-02")])
    response = login(bz_officer).post("/workbench/standards/standards/import/",
                                      {"file": SimpleUploadedFile("s.xlsx", data)})
    assert [(e["row"], e["column"]) for e in response.context["errors"]] == [(3, "标准编号")]
    assert not EnterpriseStandard.objects.exists()


def test_permissions_menu_and_public_page(bz_officer, firm, station_inspector, login, client):
    services.leader_create(actor=bz_officer, entity=firm, product="中压电力电缆", standard_number="Q/PDSDL 001-2023",
                           year=2026, evaluator="某评估机构")
    assert login(station_inspector).get("/workbench/standards/leaders/").status_code == 403
    html = login(bz_officer).get("/workbench/").content.decode()
    assert 'data-testid="standards-card"' in html and "企业标准领跑者" in html
    public = client.get("/standards/").content.decode()
    assert firm.name in public and firm.phone not in public and firm.legal_rep_id_no not in public


def test_api_lists_and_advances(bz_officer, client):
    from jianguan.core.services import api_token_create

    headers = {"Authorization": f"Bearer {api_token_create(actor=bz_officer, name='t')[1]}"}
    created = client.post("/api/v1/standards/local", {"title": "汝瓷烧制工艺规范", "drafter": "汝州市汝瓷协会",
                                                      "proposed_on": "2026-01-05"},
                          content_type="application/json", headers=headers)
    assert created.status_code == 201
    pk = created.json()["id"]
    out = client.post(f"/api/v1/standards/local/{pk}/advance", {"to": "comments", "on": "2026-02-01"},
                      content_type="application/json", headers=headers)
    assert out.status_code == 409
    out = client.post(f"/api/v1/standards/local/{pk}/advance", {"to": "drafting", "on": "2026-02-01"},
                      content_type="application/json", headers=headers)
    assert out.json()["stage"] == "drafting"


def test_metric_functions(bz_officer, firm):
    services.standard_create(actor=bz_officer, entity=firm, kind="group", number="T/HNAS 012-2026", title="某",
                             role="led", declared_on=dt.date(2026, 3, 1))
    services.standard_create(actor=bz_officer, entity=firm, kind="national", number="GB/T 19001-2016", title="某",
                             role="adopted", declared_on=dt.date(2026, 3, 1))
    assert selectors.standards_led(year=2026) == 1


def test_every_metric_of_the_three_actions_is_registered_and_computes(db):
    from jianguan.core.scope import EVERYTHING
    from jianguan.workplan import metrics

    keys = [k for k in metrics.registered() if k.split(".")[0] in ("ip", "quality", "standards")]
    assert len(keys) == 16
    ctx = metrics.Context(EVERYTHING, 2026, dt.date(2026, 6, 1))
    for key in keys:
        reading = metrics.compute(key, ctx)
        assert reading.value is not None, key
        assert metrics.get(key).url(ctx).startswith("/workbench/"), key
