"""The July listing writes its decisions as rows (#23: model objects per row were the largest cost at province scale),
and each decision is still whole: its own entry, numbered by the deciding bureau; its public notice naming the entity,
the facts, the bureau and the number; its audit entry like any other write's (object, bureau, changes) in a chain that
verifies; the entity's stored public record marked for rebuilding; and, once committed, a text to the entity's phone."""

import datetime as dt
from io import StringIO

import pytest

from jianguan.core import audit
from jianguan.core.models import AuditEntry, RuleValue
from jianguan.core.notify import MemorySMSBackend
from jianguan.credit import sweep
from jianguan.credit.models import ListEntry, ListKind, Notice
from jianguan.portal import records
from jianguan.registry.models import EntityKind

from .factories import EntityFactory

JULY_1 = dt.date(2026, 7, 1)  # a Wednesday; the 2025 reports were due by 30 June 2026


@pytest.fixture
def outbox(settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox = []
    return MemorySMSBackend.outbox


def _made(org):
    company = EntityFactory(name="平顶山甲乙商贸有限公司", unit=org["41040201"], phone="13900000001",
                            established_on=dt.date(2019, 5, 1))
    shop = EntityFactory(name="卫东区丙丁便利店", kind=EntityKind.INDIVIDUAL, unit=org["41040301"], phone="",
                         established_on=dt.date(2019, 5, 1))
    return company, shop


@pytest.mark.django_db(transaction=True)
def test_each_decision_has_its_number_notice_audit_entry_record_and_text(org, outbox):
    company, shop = _made(org)
    records.rebuild(everything=True, today=JULY_1)
    assert records.served(company.pk, today=JULY_1) and not records.marked()
    counts = sweep.annual_report_listing(today=JULY_1, stdout=StringIO())
    assert (counts["listed"], counts["marked_individual"], counts["skipped"]) == (1, 1, 0)

    listed = ListEntry.objects.get(entity=company)
    assert (listed.list_kind, listed.decision_no, listed.deciding_unit.code) == (
        ListKind.ABNORMAL, "新市监异〔2026〕1号", "410402")
    assert (listed.report_year, listed.ground_arose_on, listed.listed_on, listed.status) == (
        2025, dt.date(2026, 7, 1), JULY_1, "active")
    assert listed.facts == "未在2026年06月30日前报送2025年度报告"
    assert listed.listing_due_on == dt.date(2026, 7, 14)  # 10 working days from 1 July 2026 (no holiday in between)
    assert (listed.penalty_ref, listed.removal_no, listed.removal_overdue) == ("", "", False)  # the columns' defaults
    marked = ListEntry.objects.get(entity=shop)
    assert (marked.list_kind, marked.decision_no) == (ListKind.ABNORMAL_STATUS, "卫市监异〔2026〕1号")

    notice = Notice.objects.get(list_entry=listed)
    assert (notice.entity_id, notice.kind, notice.doc_no, notice.sent_on, notice.is_public) == (
        company.pk, Notice.Kind.LISTED, "新市监异〔2026〕1号", JULY_1, True)
    assert notice.title == "列入经营异常名录决定书"
    assert notice.body == (
        f"平顶山甲乙商贸有限公司（统一社会信用代码 {company.uscc}）：未在2026年06月30日前报送2025年度报告，"
        "新华区市场监督管理局决定将你单位列入经营异常名录（新市监异〔2026〕1号）。补报年度报告后即予移出。")
    assert Notice.objects.get(list_entry=marked).title == "列入经营异常状态（个体工商户）决定书"

    entry = AuditEntry.objects.get(action="credit.list.entered", object_id=str(listed.pk))
    assert (entry.object_type, entry.object_repr, entry.unit_id, entry.actor_label) == (
        "credit.listentry", str(listed), listed.deciding_unit_id, "system:sweep")
    assert entry.changes == {"list_kind": [None, "abnormal"], "ground": [None, "report_not_filed"],
                             "decision_no": [None, "新市监异〔2026〕1号"], "report_year": [None, 2025],
                             "listing_due_on": [None, "2026-07-14"]}
    audit.seal(wait=True)
    assert audit.verify_chain().ok

    assert not records.served(company.pk, today=JULY_1)  # the listing is counted: rebuilt on its next read
    assert company.pk in records.marked()
    # texted after the commit; the shop has no phone on record
    assert outbox == [("13900000001", f"【列入经营异常名录决定书】{notice.body}")]


@pytest.mark.django_db
def test_nothing_is_texted_when_the_chunk_rolls_back(org, outbox, monkeypatch):
    _made(org)

    def fail(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(sweep.services, "format_doc_no", fail)
    with pytest.raises(RuntimeError):
        sweep.annual_report_listing(today=JULY_1, stdout=StringIO())
    assert not ListEntry.objects.exists() and not Notice.objects.exists()
    assert outbox == []


@pytest.mark.django_db
def test_individual_businesses_are_left_alone_when_the_rule_says_so(org, outbox):
    company, shop = _made(org)
    RuleValue.objects.create(key="credit.report.individual_handling", value="none", effective_from=dt.date(2026, 1, 1))
    counts = sweep.annual_report_listing(today=JULY_1, stdout=StringIO())
    assert (counts["listed"], counts["marked_individual"], counts["skipped"]) == (1, 0, 1)
    assert list(ListEntry.objects.values_list("entity_id", flat=True)) == [company.pk]
