"""Issuing twice returns the first document; a correction needs a reason and is audited."""

from __future__ import annotations

import pytest

from jianguan.core.errors import TransitionNotAllowed
from jianguan.core.models import AuditEntry
from jianguan.enforcement import documents
from jianguan.enforcement.document_models import Document

from .docfixtures import make_case, make_penalty


def test_second_click_returns_the_same_document(district_officer):
    case = make_case(officers=[district_officer])
    make_penalty(case)
    first = documents.document_issue(case=case, kind="prior_notice", actor=district_officer)
    again = documents.document_issue(case=case, kind="prior_notice", actor=district_officer)
    assert again.pk == first.pk
    assert Document.objects.filter(case=case).count() == 1
    assert AuditEntry.objects.filter(action="enforcement.document.issued").count() == 1


def test_repeatable_kinds_are_told_apart_by_their_key(district_officer):
    case = make_case(officers=[district_officer])
    base = {"held_at": "3月3日", "place": "所里", "qa": "问：？\n答：。"}
    a = documents.document_issue(case=case, kind="inquiry", actor=district_officer, inputs={**base, "interviewee": "甲"})
    b = documents.document_issue(case=case, kind="inquiry", actor=district_officer, inputs={**base, "interviewee": "乙"})
    a2 = documents.document_issue(case=case, kind="inquiry", actor=district_officer, inputs={**base, "interviewee": "甲"})
    assert a.pk != b.pk and a2.pk == a.pk


def test_correction_of_a_document_never_issued_is_refused(district_officer):
    case = make_case(officers=[district_officer])
    make_penalty(case)
    with pytest.raises(TransitionNotAllowed):
        documents.document_issue(case=case, kind="prior_notice", actor=district_officer, correction_reason="错字")


def test_correction_of_the_decision_keeps_the_decision_number_marked_corrected(district_officer):
    case = make_case(officers=[district_officer])
    penalty = make_penalty(case)
    first = documents.document_issue(case=case, kind="penalty_decision", actor=district_officer)
    fixed = documents.document_issue(case=case, kind="penalty_decision", actor=district_officer,
                                     correction_reason="当事人名称有误")
    assert first.number == penalty.decision_no
    assert fixed.number == f"{penalty.decision_no}（更正1）"
    entry = AuditEntry.objects.get(action="enforcement.document.corrected")
    assert entry.changes["reason"] == [None, "当事人名称有误"]
    assert entry.changes["corrects"] == [None, penalty.decision_no]


def test_content_hash_is_the_sha256_of_the_stored_docx(district_officer):
    import hashlib

    case = make_case(officers=[district_officer])
    make_penalty(case)
    doc = documents.document_issue(case=case, kind="prior_notice", actor=district_officer)
    doc.refresh_from_db()
    assert doc.content_hash == hashlib.sha256(bytes(doc.docx)).hexdigest()
