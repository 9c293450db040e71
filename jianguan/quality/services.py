"""Writes of quality improvement: keyword-only, explicit ``actor``, atomic, audited; visits are a state machine
(planned → visited → closed) serialised with ``select_for_update`` so a double click acts once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from jianguan.core import audit, registers, workdays
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import Division
from jianguan.core.rules import rule
from jianguan.core.scope import scope_for
from jianguan.registry import services as registry
from jianguan.registry.models import Entity, LicenceKind

from .models import (
    Certificate,
    CertificateKind,
    CertificationBody,
    Park,
    QualityAward,
    QualityOfficer,
    TestingInstitution,
    TestReport,
    Visit,
    VisitStatus,
)


def _unit_of(actor):
    profile = getattr(actor, "profile", None)
    if profile is None:
        raise ValidationFailed("当前用户未分配单位，不能登记台账")
    return profile.unit


def _in_scope(actor, entity: Entity, field: str = "entity") -> None:
    if not scope_for(actor).allows_unit(entity.unit_id):
        raise ValidationFailed(f"{entity.name} 不在本单位监管范围内", field=field)


def _division(code: str) -> Division:
    division = Division.objects.filter(code=code.strip()).first()
    if division is None:
        raise ValidationFailed(f"行政区划代码 {code} 不存在", field="division")
    return division


# --- parks and visits (进园区入百企) -----------------------------------------------------------------------------------


@transaction.atomic
def park_create(*, actor, name: str, division: str, enterprises: int) -> Park:
    if Park.objects.filter(name=name).exists():
        raise ValidationFailed(f"园区“{name}”已登记", field="name")
    if not enterprises:
        raise ValidationFailed("入驻企业数应大于 0", field="enterprises")
    park = Park.objects.create(name=name, division=_division(division), enterprises=enterprises,
                               unit=_unit_of(actor))
    audit.record(actor=actor, action="quality.park.created", obj=park, unit=park.unit,
                 changes={"name": [None, name], "enterprises": [None, enterprises]})
    return park


@transaction.atomic
def visit_plan(*, actor, park: Park, entity: Entity, planned_on: dt.date, team: str) -> Visit:
    """Plan a visit to ``entity`` in ``park``; the same enterprise twice on the same day is refused."""
    _in_scope(actor, entity)
    registers.refuse_reference_to_withdrawn(park, what=f"园区“{park.name}”", field="park")
    if Visit.objects.filter(park=park, entity=entity, planned_on=planned_on).exists():
        raise ValidationFailed(f"{entity.name} 在 {planned_on} 已有走访计划", field="planned_on")
    visit = Visit.objects.create(park=park, entity=entity, planned_on=planned_on, team=team.strip(),
                                 unit_id=entity.unit_id)
    audit.record(actor=actor, action="quality.visit.planned", obj=visit, unit=entity.unit_id,
                 changes={"entity": [None, entity.uscc], "planned_on": [None, planned_on]})
    return visit


def visit_withdrawn(visit: Visit, doing: str) -> str | None:
    """Why ``doing`` is refused on ``visit`` — the visit or its park was withdrawn from its register — or None."""
    return (registers.withdrawn_message(visit, what=f"走访计划（{visit.entity.name}，{visit.planned_on:%Y-%m-%d}）",
                                        doing=doing)
            or registers.withdrawn_message(visit.park, what=f"园区“{visit.park.name}”", doing=doing))


def _locked(visit: Visit, doing: str) -> Visit:
    """The visit, locked (a double click acts once); refused when it or its park is withdrawn (restore it first)."""
    visit = Visit.objects.select_for_update().select_related("park", "entity").get(pk=visit.pk)
    refused = visit_withdrawn(visit, doing)
    if refused:
        raise TransitionNotAllowed(refused, code="row_withdrawn")
    return visit


@transaction.atomic
def visit_record(*, actor, visit: Visit, visited_on: dt.date, problems: str, problem_count: int,
                 help_given: str) -> Visit:
    """Record the visit: problems found and help given; a visit with problems gets a follow-up deadline
    (rule ``quality.follow_up_days``), one without is closed at once."""
    visit = _locked(visit, "记录走访")
    if visit.status != VisitStatus.PLANNED:
        raise TransitionNotAllowed(f"该走访已{visit.get_status_display()}，不能重复记录")
    if problem_count and not problems.strip():
        raise ValidationFailed("请写明发现的问题", field="problems")
    if problems.strip() and not problem_count:
        raise ValidationFailed("发现了问题时问题数应大于 0", field="problem_count")
    if problem_count and not help_given.strip():
        raise ValidationFailed("发现问题的，请写明帮扶措施", field="help_given")
    visit.visited_on, visit.problems, visit.problem_count = visited_on, problems.strip(), problem_count
    visit.help_given = help_given.strip()
    if problem_count:
        visit.status = VisitStatus.VISITED
        days = int(rule("quality.follow_up_days", on=visited_on))
        try:
            visit.follow_up_due = workdays.period_end(visited_on, days)
        except workdays.CalendarUnknown:  # a year the holiday calendar does not cover yet: plain days
            visit.follow_up_due = visited_on + dt.timedelta(days=days)
    else:
        visit.status = VisitStatus.CLOSED
    visit.save()
    audit.record(actor=actor, action="quality.visit.recorded", obj=visit, unit=visit.unit_id,
                 changes={"status": [VisitStatus.PLANNED, visit.status], "problem_count": [0, problem_count]})
    return visit


@transaction.atomic
def visit_follow_up(*, actor, visit: Visit, followed_up_on: dt.date, note: str, solved: int) -> Visit:
    visit = _locked(visit, "回访")
    if visit.status != VisitStatus.VISITED:
        raise TransitionNotAllowed("只有已走访、待回访的记录可以回访")
    if followed_up_on < visit.visited_on:
        raise ValidationFailed("回访日期不能早于走访日期", field="followed_up_on")
    if solved > visit.problem_count:
        raise ValidationFailed(f"已解决问题数不能超过发现的问题数（{visit.problem_count}）", field="solved")
    if not note.strip():
        raise ValidationFailed("请填写回访情况", field="note")
    visit.followed_up_on, visit.follow_up_note, visit.solved = followed_up_on, note.strip(), solved
    visit.status = VisitStatus.CLOSED
    visit.save()
    audit.record(actor=actor, action="quality.visit.followed_up", obj=visit, unit=visit.unit_id,
                 changes={"status": [VisitStatus.VISITED, VisitStatus.CLOSED], "solved": [0, solved]})
    return visit


# --- awards and first quality officers --------------------------------------------------------------------------


@transaction.atomic
def award_create(*, actor, entity: Entity, kind: str, year: int, document_no: str, product: str = "") -> QualityAward:
    """A quality award or brand recognition; the same one for the same enterprise, product and year is refused."""
    _in_scope(actor, entity)
    if QualityAward.objects.filter(entity=entity, kind=kind, year=year, product=product).exists():
        raise ValidationFailed(f"{entity.name} {year} 年的该项认定已登记，不能重复登记", field="kind")
    row = QualityAward.objects.create(entity=entity, kind=kind, year=year, product=product, document_no=document_no,
                                      unit_id=entity.unit_id)
    audit.record(actor=actor, action="quality.award.created", obj=row, unit=entity.unit_id,
                 changes={"kind": [None, kind], "year": [None, year]})
    return row


@transaction.atomic
def quality_officer_create(*, actor, entity: Entity, name: str, position: str, appointed_on: dt.date,
                           trained: bool = False, certificate_no: str = "") -> QualityOfficer:
    _in_scope(actor, entity)
    if QualityOfficer.objects.filter(entity=entity).exists():
        raise ValidationFailed(f"{entity.name} 已登记首席质量官", field="entity")
    row = QualityOfficer.objects.create(entity=entity, name=name, position=position, appointed_on=appointed_on,
                                        trained=trained, certificate_no=certificate_no, unit_id=entity.unit_id)
    audit.record(actor=actor, action="quality.officer.created", obj=row, unit=entity.unit_id,
                 changes={"entity": [None, entity.uscc]})
    return row


# --- certification and testing bodies ---------------------------------------------------------------------------


def validity_end(issued_on: dt.date, years: int) -> dt.date:
    """The last day of a certificate valid ``years`` years from ``issued_on``: the day before the same date
    ``years`` later (issued 2020-05-10 for 6 years → valid until 2026-05-09; from 29 February, 28 February)."""
    try:
        same_day = issued_on.replace(year=issued_on.year + years)
    except ValueError:  # 29 February in a year without one
        same_day = dt.date(issued_on.year + years, 3, 1)
    return same_day - dt.timedelta(days=1)



def licence_kind(rule_key: str, name: str) -> LicenceKind:
    kind, _ = LicenceKind.objects.get_or_create(code=rule(rule_key), defaults={"name": name, "sector": "quality"})
    return kind


def _licence(actor, entity, kind, number, issued_on, valid_until, scope):
    try:
        return registry.licence_add(actor=actor, entity=entity, kind=kind, number=number, issuer="国家认证认可监督管理委员会",
                                    issued_on=issued_on, valid_until=valid_until, scope=scope)
    except ValidationFailed as exc:
        raise ValidationFailed(exc.message, field="approval_no" if "certification" in kind.code else "cma_no") \
            from None


@transaction.atomic
def certification_body_create(*, actor, entity: Entity, approval_no: str, fields_of_work,
                              valid_until: dt.date, issued_on: dt.date) -> CertificationBody:
    _in_scope(actor, entity)
    number = approval_no.strip().upper()
    if not number.startswith("CNCA-R"):
        raise ValidationFailed("认证机构批准书编号应以 CNCA-R 开头，如 CNCA-R-2002-001", field="approval_no")
    if valid_until < issued_on:
        raise ValidationFailed("有效期至不能早于批准日期", field="valid_until")
    if CertificationBody.objects.filter(entity=entity).exists():
        raise ValidationFailed(f"{entity.name} 已登记为认证机构", field="entity")
    if CertificationBody.objects.filter(approval_no=number).exists():
        raise ValidationFailed(f"批准书编号 {number} 已登记", field="approval_no")
    licence = _licence(actor, entity, licence_kind("quality.certification_body_licence_kind", "认证机构批准书"),
                       number, issued_on, valid_until, "、".join(fields_of_work))
    body = CertificationBody.objects.create(entity=entity, approval_no=number, fields_of_work=list(fields_of_work),
                                            valid_until=valid_until, licence=licence, unit_id=entity.unit_id)
    audit.record(actor=actor, action="quality.certification_body.created", obj=body, unit=entity.unit_id,
                 changes={"approval_no": [None, number]})
    return body


@transaction.atomic
def certificate_create(*, actor, body: CertificationBody, holder: Entity, number: str, kind: str, scope: str,
                       issued_on: dt.date, valid_until: dt.date) -> Certificate:
    """A certificate issued by ``body``: refused when the body's approval had lapsed on the issue date."""
    _in_scope(actor, holder, field="holder")
    registers.refuse_reference_to_withdrawn(body, what=f"认证机构（批准书编号 {body.approval_no}）", field="body")
    if valid_until < issued_on:
        raise ValidationFailed("有效期至不能早于发证日期", field="valid_until")
    if issued_on > body.valid_until:
        raise ValidationFailed(f"发证日期 {issued_on} 时认证机构批准书已过期（有效期至 {body.valid_until}）",
                               field="issued_on")
    if kind == CertificateKind.CCC and not number.strip().isdigit():
        raise ValidationFailed("CCC 证书编号应为数字", field="number")
    if Certificate.objects.filter(number=number.strip()).exists():
        raise ValidationFailed(f"证书编号 {number} 已登记", field="number")
    cert = Certificate.objects.create(body=body, holder=holder, number=number.strip(), kind=kind, scope=scope,
                                      issued_on=issued_on, valid_until=valid_until, unit_id=holder.unit_id)
    audit.record(actor=actor, action="quality.certificate.created", obj=cert, unit=holder.unit_id,
                 changes={"number": [None, cert.number], "kind": [None, kind]})
    return cert


@transaction.atomic
def testing_institution_create(*, actor, entity: Entity, cma_no: str, scope, issued_on: dt.date,
                               valid_until: dt.date | None = None) -> TestingInstitution:
    """An institution with its accreditation; the expiry defaults to the legal validity (rule
    ``quality.cma_validity_years``) and may not exceed it."""
    _in_scope(actor, entity)
    number = cma_no.strip()
    if not (number.isdigit() and len(number) == 12):
        raise ValidationFailed("资质认定证书编号应为 12 位数字", field="cma_no")
    if not scope:
        raise ValidationFailed("请填写资质认定能力范围（检验检测项目）", field="scope")
    years = int(rule("quality.cma_validity_years", on=issued_on))
    longest = validity_end(issued_on, years)
    valid_until = valid_until or longest
    if valid_until < issued_on:
        raise ValidationFailed("有效期至不能早于发证日期", field="valid_until")
    if valid_until > longest:
        raise ValidationFailed(f"资质认定证书有效期为 {years} 年，有效期至不能晚于 {longest}", field="valid_until")
    if TestingInstitution.objects.filter(entity=entity).exists():
        raise ValidationFailed(f"{entity.name} 已登记为检验检测机构", field="entity")
    if TestingInstitution.objects.filter(cma_no=number).exists():
        raise ValidationFailed(f"资质认定证书编号 {number} 已登记", field="cma_no")
    licence = _licence(actor, entity, licence_kind("quality.testing_licence_kind", "检验检测机构资质认定证书"),
                       number, issued_on, valid_until, "、".join(scope))
    row = TestingInstitution.objects.create(entity=entity, cma_no=number, scope=list(scope), issued_on=issued_on,
                                            valid_until=valid_until, licence=licence, unit_id=entity.unit_id)
    audit.record(actor=actor, action="quality.testing_institution.created", obj=row, unit=entity.unit_id,
                 changes={"cma_no": [None, number], "valid_until": [None, valid_until]})
    return row


def accreditation_problem(institution: TestingInstitution, item: str, on: dt.date) -> str | None:
    """Why a result of ``institution`` for ``item`` dated ``on`` may not be used, or None. For other apps too
    (sampling, evidence)."""
    if not rule("quality.report_within_accreditation", on=on):
        return None
    if on < institution.issued_on or on > institution.valid_until:
        return (f"{institution.entity.name} 的资质认定证书（{institution.cma_no}）在 {on} 不在有效期内"
                f"（{institution.issued_on} 至 {institution.valid_until}），其报告不能采用")
    if item.strip() not in institution.scope:
        return f"“{item}”不在 {institution.entity.name} 的资质认定能力范围内，其报告不能采用"
    return None


@transaction.atomic
def test_report_create(*, actor, institution: TestingInstitution, number: str, item: str, sample: str,
                       issued_on: dt.date, conclusion: str, purpose: str = "") -> TestReport:
    registers.refuse_reference_to_withdrawn(institution, what=f"检验检测机构（资质认定证书编号 {institution.cma_no}）",
                                            field="institution")
    problem = accreditation_problem(institution, item, issued_on)
    if problem:
        raise ValidationFailed(problem, field="issued_on" if "有效期" in problem else "item")
    if TestReport.objects.filter(institution=institution, number=number.strip()).exists():
        raise ValidationFailed(f"报告编号 {number} 已登记", field="number")
    report = TestReport.objects.create(institution=institution, number=number.strip(), item=item.strip(),
                                       sample=sample, issued_on=issued_on, conclusion=conclusion, purpose=purpose,
                                       recorded_by=actor if getattr(actor, "is_authenticated", False) else None,
                                       unit=_unit_of(actor))
    audit.record(actor=actor, action="quality.test_report.created", obj=report, unit=report.unit,
                 changes={"number": [None, report.number], "item": [None, report.item]})
    return report
