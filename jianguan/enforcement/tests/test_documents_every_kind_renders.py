"""Every document kind renders a Word file and a PDF that carry the number, the party and the body text."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess
import tempfile
from pathlib import Path

import docx
import pytest

from jianguan.enforcement import documents
from jianguan.enforcement.doclayout import KINDS
from jianguan.enforcement.models import Case, ClockPause, Hearing, Seizure

from .docfixtures import make_case, make_penalty

INPUTS = {
    "filing_approval": {"opinion_officer": "建议立案"},
    "site_inspection": {"held_at": "2026年3月1日9时至10时", "place": "新华区建设路1号", "record": "货架上陈列插座20个\n无合格证"},
    "inquiry": {"held_at": "2026年3月3日", "place": "本局询问室", "interviewee": "王小二",
                "qa": "问：你是否销售了涉案插座？\n答：是的，共销售30个。"},
    "seizure_decision": {},
    "prior_notice": {"contact": "李四", "contact_phone": "0375-1234567"},
    "penalty_decision": {"violated": "《中华人民共和国产品质量法》第三十九条"},
    "service_receipt": {"served_document": "行政处罚决定书", "method": "直接送达"},
    "closing_approval": {"execution": "罚款已缴纳"},
    "investigation_report": {},
    "hearing_notice": {},
    "extension_approval": {},
    "suspension_approval": {},
    "resumption_approval": {"reason": "鉴定意见已出具"},
    "testing_period_notice": {"test_to": "2026年3月30日", "lab": "河南省产品质量监督检验院"},
    "preservation_notice": {"items": "插座（型号 A-1）20个", "place": "本局物证室", "saved_on": "2026年9月30日"},
    "sampling_notice": {"items": "插座（批号 20260301）3个", "lab": "平顶山市产品质量检验所"},
    "rectification_order": {"violation": "销售不合格插座", "correct_by": "立即"},
}
BODY = {
    "filing_approval": "不合格插座20个",
    "site_inspection": "无合格证",
    "inquiry": "共销售30个",
    "seizure_decision": "不合格插座",
    "prior_notice": "陈述、申辩",
    "penalty_decision": "罚款人民币5,000.00元",
    "service_receipt": "直接送达",
    "closing_approval": "罚款已缴纳",
    "investigation_report": "违法事实清楚，证据确凿",
    "hearing_notice": "新华区局听证室",
    "extension_approval": "需补充鉴定",
    "suspension_approval": "等待鉴定意见",
    "resumption_approval": "鉴定意见已出具",
    "testing_period_notice": "2026年3月10日起至2026年3月30日止",
    "preservation_notice": "至2026年10月15日",
    "sampling_notice": "平顶山市产品质量检验所",
    "rectification_order": "立即改正上述违法行为",
}


def _docx_text(data: bytes) -> str:
    d = docx.Document(io.BytesIO(data))
    parts = [p.text for p in d.paragraphs]
    for table in d.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def _pdf_text(data: bytes) -> str | None:
    if shutil.which("pdftotext") is None:  # installed by .ci/run (poppler-utils)
        return None
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "doc.pdf"
        path.write_bytes(data)
        out = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True)
    return out.stdout.decode()


@pytest.fixture
def closed_case(district_officer, other_district_officer):
    case = make_case(officers=[district_officer], status="executed", investigation_report="违法事实清楚，证据确凿。",
                     outcome="penalty")
    make_penalty(case)
    seizure = Seizure.objects.create(case=case, measure="seize", items="不合格插座20个", decided_on=case.filed_on,
                                     ends_on=case.filed_on.replace(day=31), recorded_by=district_officer)
    ClockPause.objects.create(seizure=seizure, reason="testing", starts_on=dt.date(2026, 3, 10),
                              evidence_ref="委托书 1 号")
    ClockPause.objects.create(case=case, reason="suspension", starts_on=dt.date(2026, 3, 5),
                              ends_on=dt.date(2026, 3, 25), note="等待鉴定意见")
    Case.objects.filter(pk=case.pk).update(extended=True, extension_reason="需补充鉴定",
                                           extension_approved_by=district_officer,
                                           extension_approved_on=dt.date(2026, 5, 20))
    case.refresh_from_db()
    Hearing.objects.create(case=case, requested_on=case.filed_on, scheduled_on=case.filed_on.replace(day=20),
                           place="新华区局听证室", host=district_officer)
    return case


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_kind_renders_docx_and_pdf(kind, closed_case, district_officer):
    doc = documents.document_issue(case=closed_case, kind=kind, actor=district_officer, inputs=INPUTS[kind])
    text = _docx_text(bytes(doc.docx))
    assert doc.number in text
    assert closed_case.party_name in text
    assert KINDS[kind].title in text
    assert BODY[kind] in text
    assert "平顶山市新华区市场监督管理局" in text
    assert "{{" not in text and "{%" not in text
    pdf = bytes(doc.pdf)
    assert pdf.startswith(b"%PDF")
    pdf_text = _pdf_text(pdf)
    if pdf_text is not None:
        flat = pdf_text.replace("\n", "").replace(" ", "")
        assert doc.number in flat
        assert closed_case.party_name in flat
        assert BODY[kind].replace(" ", "") in flat


def test_decision_carries_the_decision_number_and_filing_form_the_case_number(closed_case, district_officer):
    decision = documents.document_issue(case=closed_case, kind="penalty_decision", actor=district_officer)
    filing = documents.document_issue(case=closed_case, kind="filing_approval", actor=district_officer)
    assert decision.number == closed_case.penalty.decision_no
    assert filing.number == closed_case.number


def test_required_inputs_are_asked_for(closed_case, district_officer):
    from jianguan.core.errors import ValidationFailed

    with pytest.raises(ValidationFailed) as exc:
        documents.document_issue(case=closed_case, kind="inquiry", actor=district_officer, inputs={"place": "所里"})
    assert exc.value.field == "held_at"


def test_decision_before_the_penalty_is_refused(district_officer):
    from jianguan.core.errors import TransitionNotAllowed

    case = make_case(officers=[district_officer])
    with pytest.raises(TransitionNotAllowed):
        documents.document_issue(case=case, kind="penalty_decision", actor=district_officer)
