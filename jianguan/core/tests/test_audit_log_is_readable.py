"""The audit log as people read it: the action in Chinese (the code kept beside it), the person by name, each
change as before → after under the field's name, a date filter (a malformed date said, not a 500), numbered pages
with the total, a fixed number of queries."""

import datetime as dt

from django.utils import timezone

from jianguan.core import audit
from jianguan.core.audit_labels import action_label
from jianguan.core.models import AuditEntry


def test_action_codes_read_as_words():
    label = action_label("enforcement.case.filed")
    assert label.endswith(" · 立案") and "case" not in label and "enforcement" not in label
    assert action_label("list.exported").endswith("导出")
    assert action_label("nonsense") == "nonsense"


def test_the_log_shows_names_diffs_dates_and_pages(login, auditadmin, district_officer,
                                                    django_assert_max_num_queries):
    district_officer.first_name, district_officer.last_name = "", "张执法"
    district_officer.save()
    audit.record(actor=district_officer, action="core.orgunit.updated", object_type="core.orgunit", object_id="7",
                 object_repr="新华区局", changes={"name": ["新华区分局", "新华区局"]})
    old = audit.record(actor=district_officer, action="core.orgunit.updated", object_type="core.orgunit",
                       object_id="8", object_repr="旧记录", changes={"name": ["甲", "乙"]})
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    client = login(auditadmin)
    with django_assert_max_num_queries(16):
        body = client.get("/workbench/audit/", {"actor": "张执法"}).content.decode()
    assert "张执法" in body and 'data-testid="list-total">2<' in body
    assert "<del class=\"text-danger\">新华区分局</del>" in body and "新华区局</ins>" in body
    assert "名称" in body  # the field's verbose name, not "name"
    assert "<code>core.orgunit.updated</code>" in body and "修改" in body
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    body = client.get("/workbench/audit/", {"actor": "张执法", "date_from": since}).content.decode()
    assert 'data-testid="list-total">1<' in body and "旧记录" not in body
    body = client.get("/workbench/audit/", {"date_to": "2026-13-40"}).content.decode()
    assert "不是 YYYY-MM-DD 格式的日期" in body
    for n in range(60):
        audit.record(actor=district_officer, action="core.orgunit.updated", object_type="core.orgunit",
                     object_id=str(100 + n), changes={"name": [str(n), str(n + 1)]})
    with django_assert_max_num_queries(16):
        body = client.get("/workbench/audit/", {"actor": "张执法", "page": 2}).content.decode()
    assert 'data-testid="list-total">62<' in body and "第 2/2 页" in body


def test_sector_actions_read_as_words_without_codes():
    codes = ["food.small.registered", "food.small.renewed", "food.small.expired", "food.grading.recorded",
             "food.annual.computed", "food.designation.applied", "food.designation.expired",
             "food.demo.gradings_loaded", "food.grading.imported", "food.designation.imported", "food.disposal.opened", "food.disposal.step", "food.disposal.closed",
             "food.disposal.recall_started", "food.disposal.published", "food.indicator.recorded",
             "coldchain.movement.in", "coldchain.movement.out", "coldchain.task.done", "drugs.event.assessed",
             "drugs.focus.listed", "drugs.object.registered", "prices.report.submitted", "prices.alert.raised",
             "prices.alert.stale_ended", "sampling.sample.resample"]
    labels = {code: action_label(code) for code in codes}
    assert [c for c, label in labels.items() if any("a" <= ch <= "z" for ch in label)] == []
    assert labels["food.small.renewed"] == "食品安全监管 · 三小登记 · 延续"
    assert "价格报送" in labels["prices.report.submitted"] and "举报" not in labels["prices.report.submitted"]
