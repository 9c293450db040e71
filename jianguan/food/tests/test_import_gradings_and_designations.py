"""Excel import of catering grading inspections and of 明厨亮灶 / 示范店 reviews: the template follows the rules'
checklist and criteria; a bad file writes nothing (no inspection, no annual grade, no designation, no audit entry)
and lists every problem by row and column in Chinese; a good file goes through the same services as the forms and
is audited; a file imported twice is refused; only the form's permission may import."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.rules import rule
from jianguan.core.tests.factories import staff
from jianguan.food.models import AnnualGrade, Designation, GradingInspection

from .factories import county_clerk
from .test_grading_checklist_score_grade_and_annual import caterer

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
ENTITY = "统一社会信用代码"
D1, D2 = TODAY - dt.timedelta(days=20), TODAY - dt.timedelta(days=10)


def _template(client, name: str) -> list[str]:
    resp = client.get(reverse(f"food:{name}_template"))
    assert resp.status_code == 200 and resp["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(resp.content))
    assert "填写说明" in book.sheetnames
    return [c.value for c in next(book.worksheets[0].iter_rows(max_row=1))]


def _xlsx(header: list[str], rows: list[dict]) -> io.BytesIO:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(header)
    for row in rows:
        ws.append([row.get(h, "") for h in header])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "import.xlsx"
    return buf


def _errors(resp) -> list[tuple]:
    return [(e["row"], e["column"], e["message"]) for e in resp.context["errors"]]


def _food_audit():
    return AuditEntry.objects.filter(action__startswith="food.")


@pytest.fixture
def clerk(org):
    return county_clerk()


def _grading_row(labels, entity, on, **answers):
    return {"统一社会信用代码": entity.uscc, "检查日期": on.isoformat(), **{label: "符合" for label in labels}, **answers}


def test_a_bad_grading_file_writes_nothing_and_names_each_row_and_column(clerk, login):
    client = login(clerk)
    header = _template(client, "gradings")
    labels = [i["label"] for i in rule("food.grading_checklist", on=TODAY)]
    assert header == ["统一社会信用代码", "检查日期", *labels, "检查意见"]
    a, b = caterer(name="平顶山市甲饭店有限公司"), caterer(name="平顶山市乙饭店有限公司")
    shop = caterer(name="平顶山市卫东饭店有限公司", unit=OrgUnit.objects.get(code="410403"))
    from jianguan.registry.tests.factories import EntityFactory

    store = EntityFactory(name="平顶山市丙超市有限公司")
    bad = _xlsx(header, [
        _grading_row(labels, a, D1),                                        # 2: good on its own
        _grading_row(labels, b, D1, **{labels[1]: "不确定"}),                # 3: not 符合/不符合
        _grading_row(labels, store, D1),                                    # 4: not a caterer
        _grading_row(labels, a, D1),                                        # 5: row 2 again
        _grading_row(labels, b, TODAY + dt.timedelta(days=1)),              # 6: a day to come
        _grading_row(labels, b, D2, **{labels[5]: ""}),                     # 7: an item left empty
        _grading_row(labels, shop, D2),                                     # 8: another district's caterer
        {**_grading_row(labels, b, D2), "检查日期": "2026年13月1日"},           # 9: no such date
    ])
    resp = client.post(reverse("food:gradings_import"), {"file": bad})
    assert resp.status_code == 422
    errors = _errors(resp)
    assert [(r, c) for r, c, _m in errors] == [(3, labels[1]), (4, ENTITY), (5, "检查日期"), (6, "检查日期"),
                                              (7, labels[5]), (8, ENTITY), (9, "检查日期")]
    messages = dict(((r, c), m) for r, c, m in errors)
    assert messages[(3, labels[1])] == f"{labels[1]}：应填 符合 或 不符合"
    assert "不是餐饮服务提供者" in messages[(4, ENTITY)]
    assert "已登记，不能重复导入" in messages[(5, "检查日期")]
    assert messages[(6, "检查日期")] == "检查日期不能晚于今天"
    assert messages[(7, labels[5])] == f"{labels[5]}：必填"
    assert "不在本单位监管范围内" in messages[(8, ENTITY)]
    assert "日期格式应为" in messages[(9, "检查日期")]
    html = resp.content.decode()
    assert "第 3 行" in html and "未导入任何数据" in html
    assert not GradingInspection.objects.exists() and not AnnualGrade.objects.exists()
    assert not _food_audit().exists()

    missing = _xlsx([h for h in header if h != labels[7]], [_grading_row(labels, a, D1)])
    resp = client.post(reverse("food:gradings_import"), {"file": missing})
    assert _errors(resp) == [(1, labels[7], "缺少此列")]
    junk = io.BytesIO(b"not a workbook")
    junk.name = "x.xlsx"
    resp = client.post(reverse("food:gradings_import"), {"file": junk})
    assert resp.status_code == 422 and "请上传 Excel 2007 及以上格式（.xlsx）的文件" in resp.content.decode()
    assert not GradingInspection.objects.exists() and not _food_audit().exists()


def test_a_good_grading_file_grades_through_the_service_and_a_second_import_is_refused(clerk, login):
    client = login(clerk)
    header = _template(client, "gradings")
    checklist = rule("food.grading_checklist", on=TODAY)
    labels = [i["label"] for i in checklist]
    key = next(i for i in checklist if i.get("key"))
    a, b = caterer(name="平顶山市甲饭店有限公司"), caterer(name="平顶山市乙饭店有限公司")
    rows = [_grading_row(labels, a, D1, 检查意见="整洁规范"),
            _grading_row(labels, b, D2, **{key["label"]: "不符合"})]
    resp = client.post(reverse("food:gradings_import"), {"file": _xlsx(header, rows)})
    assert resp.status_code == 200 and "已导入 2 条" in resp.content.decode()
    got = {g.entity_id: g for g in GradingInspection.objects.all()}
    assert (got[a.pk].grade, str(got[a.pk].score), got[a.pk].note, got[a.pk].inspector_id) == (
        "excellent", "100.0", "整洁规范", clerk.pk)
    assert got[b.pk].grade == "fair" and got[b.pk].score == 100 - key["weight"]  # a key item failed
    assert set(AnnualGrade.objects.values_list("entity_id", flat=True)) == {a.pk, b.pk}
    assert _food_audit().filter(action="food.grading.recorded").count() == 2
    whole = _food_audit().get(action="food.grading.imported")
    assert whole.actor_id == clerk.pk and whole.changes["rows"] == [None, 2]
    # the public sees the grades at once
    assert a.name in client.get(reverse("food_public:index")).content.decode()

    again = client.post(reverse("food:gradings_import"), {"file": _xlsx(header, rows)})
    assert again.status_code == 422 and [e[0] for e in _errors(again)] == [2, 3]
    assert GradingInspection.objects.count() == 2 and _food_audit().filter(action="food.grading.imported").count() == 1


def _designation_row(entity, kind_label, criteria_headers, applied, reviewed, **answers):
    return {"统一社会信用代码": entity.uscc, "认定类别": kind_label, "申报日期": applied.isoformat(),
            "评审日期": reviewed.isoformat(), **{h: "符合" for h in criteria_headers}, **answers}


def test_designation_import_all_or_nothing_then_approved_and_rejected_with_audit(clerk, login, client):
    c = login(clerk)
    header = _template(c, "designations")
    bright = [h for h in header if h.startswith("明厨亮灶：")]
    demo = [h for h in header if h.startswith("示范店：")]
    criteria = rule("food.designation_criteria", on=TODAY)
    assert len(bright) == len(criteria["bright_kitchen"]) and len(demo) == len(criteria["demo_shop"])
    assert header[:4] == ["统一社会信用代码", "认定类别", "申报日期", "评审日期"] and header[-1] == "评审意见"
    a, b = caterer(name="平顶山市甲饭店有限公司"), caterer(name="平顶山市乙饭店有限公司")
    long_ago = TODAY.replace(year=TODAY.year - 4)
    bad = _xlsx(header, [
        _designation_row(a, "明厨亮灶", bright, D1, D2),                           # 2: fine alone
        _designation_row(b, "明厨亮灶", bright, D1, D2, **{bright[2]: ""}),        # 3: a criterion unanswered
        _designation_row(b, "餐饮服务食品安全示范店", demo, D1, D2, **{bright[0]: "符合"}),  # 4: the other kind's
        _designation_row(b, "明厨亮灶", bright, D2, D1),                           # 5: reviewed before applied
        _designation_row(b, "明厨亮灶", bright, long_ago, long_ago),               # 6: its validity is over
        _designation_row(a, "明厨亮灶", bright, D1, D2),                           # 7: row 2 again
        _designation_row(b, "星级餐厅", bright, D1, D2),                           # 8: no such kind
    ])
    resp = c.post(reverse("food:designations_import"), {"file": bad})
    assert resp.status_code == 422
    errors = _errors(resp)
    assert [(r, col) for r, col, _m in errors] == [(3, bright[2]), (4, bright[0]), (5, "评审日期"), (6, "评审日期"),
                                                   (7, "认定类别"), (8, "认定类别")]
    messages = dict(((r, col), m) for r, col, m in errors)
    assert "评审标准第 3 项" in messages[(3, bright[2])] and "未填写是否符合" in messages[(3, bright[2])]
    assert "不应填写其他类别的评审标准" in messages[(4, bright[0])]
    assert "早于申报日期" in messages[(5, "评审日期")] and "已过期" in messages[(6, "评审日期")]
    assert "已有明厨亮灶" in messages[(7, "认定类别")] and "应为以下之一" in messages[(8, "认定类别")]
    assert not Designation.objects.exists() and not _food_audit().exists()

    good = _xlsx(header, [
        _designation_row(a, "明厨亮灶", bright, D1, D2),
        _designation_row(b, "餐饮服务食品安全示范店", demo, D1, D2, **{demo[3]: "不符合"}),
    ])
    resp = c.post(reverse("food:designations_import"), {"file": good})
    assert resp.status_code == 200 and "已导入 2 条" in resp.content.decode()
    approved = Designation.objects.get(entity=a)
    years = rule("food.designation_validity_years", on=D2)["bright_kitchen"]
    assert (approved.status, approved.reviewed_on, approved.reviewed_by_id) == ("approved", D2, clerk.pk)
    assert approved.valid_until == D2.replace(year=D2.year + years) - dt.timedelta(days=1)
    rejected = Designation.objects.get(entity=b)
    assert rejected.status == "rejected" and criteria["demo_shop"][3]["label"] in rejected.review_note
    assert set(_food_audit().values_list("action", flat=True)) == {
        "food.designation.applied", "food.designation.approved", "food.designation.rejected",
        "food.designation.imported"}
    public = client.get(reverse("food_public:designations")).content.decode()
    assert a.name in public and b.name not in public


def test_only_the_forms_permission_imports(org, login):
    drugs = login(staff("yp_x", "410400YP", ["drug_supervisor"], name="药品监管员"))
    for name in ("gradings_import", "gradings_template", "designations_import", "designations_template"):
        assert drugs.get(reverse(f"food:{name}")).status_code == 403
    clerk = login(county_clerk())
    page = clerk.get(reverse("food:gradings")).content.decode()
    assert 'data-testid="gradings-import"' in page
    assert 'data-testid="designations-import"' in clerk.get(reverse("food:designations")).content.decode()
    assert clerk.get(reverse("food:gradings_import")).status_code == 200
