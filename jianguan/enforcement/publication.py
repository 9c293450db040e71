"""Publication of penalty decisions (行政处罚信息公示, SAMR Order 45; docs/domain §3).

- Decisions of the ordinary procedure are published; a warning alone is not, nor a simplified (on-the-spot)
  decision.
- Deadline: within ``enforcement.publication.deadline_workdays`` working days of the decision (20 by default; many
  local rules say 7 — a bureau sets its own from an effective date). The day of the decision is not counted.
- What is shown is a masked snapshot (``Publication``): never ID numbers, phones or home addresses; an individual's
  name (a natural person, an individual business's operator) as 张*明.
- Shown for 3 months when light (only 通报批评 and/or a fine not above ``enforcement.light_fine_max``;
  a warning beside them does not count), otherwise 3 years, from the day of publication (the period ends on the
  corresponding day, Civil Code art. 202). The daily sweep ends it; a granted credit repair
  (``credit.RepairApplication`` of kind ``penalty_publication`` naming the decision number) ends it at once.

The sweep also publishes every pending decision once it has been served on the party, and any still pending on its
deadline, so the statutory period is never missed; staff may publish earlier with ``publication_publish``.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_save
from django.utils import timezone

from jianguan.core import audit, workdays
from jianguan.core.divisions import province_name
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.rules import RULES, define, rule
from jianguan.core.sweep import job

# --- rules ---------------------------------------------------------------------------------------------------------

ORDER_45 = "《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）"
define("enforcement.publication.deadline_workdays", 20,
       "行政处罚信息公示期限（自作出决定之日起的工作日；地方规定更短的，如 7 个工作日，由本单位从生效日起改设）",
       source=f"{ORDER_45}第九条", confidence="C")
define("enforcement.publication.local_deadline_workdays", 0,
       "本省（市）规定的更短公示期限（工作日；0 为未规定，适用全国 20 个工作日）",
       source="《市场监督管理行政处罚信息公示规定》（市场监管总局令第45号）第十七条第二款（省级部门可以制定实施细则）；"
              "各省细则多为 7 个工作日，0（不设，按第九条的 20 个工作日）为本平台默认值，由本局按本省规定设定", confidence="U")
define("enforcement.publication.other_province_workdays", 10,
       "当事人登记地在其他省份的：自作出决定之日起推送至当事人登记地省级公示系统的期限（工作日）",
       source=f"{ORDER_45}第十条", confidence="C")
define("enforcement.publication.other_province_extension_workdays", 10,
       "推送至其他省份的期限因特殊原因经批准可延长（工作日）", source=f"{ORDER_45}第十条", confidence="C")
define("enforcement.publication.withdraw_workdays", 3,
       "处罚决定被依法变更、撤销、确认违法或者确认无效的：撤下或者更正已公示信息的期限（工作日）",
       source=f"{ORDER_45}第十一条", confidence="C")
define("enforcement.publication.home_province", "41",
       "本省行政区划代码前两位（当事人登记地不在本省的，须推送至其登记地省份）", source="GB/T 2260；本平台默认值（河南）",
       confidence="U")
define("enforcement.publication.light_months", 3, "较轻行政处罚（仅通报批评或较低数额罚款）的公示期（月）",
       source=f"{ORDER_45}第十三条", confidence="C")
define("enforcement.publication.months", 36, "其他行政处罚信息的公示期（月）",
       source=f"{ORDER_45}第十三条（3 年）", confidence="C")

SERVED_STATUSES = ("served", "executed", "closed")

# --- masking -------------------------------------------------------------------------------------------------------

ID_NO = re.compile(r"(?<![0-9A-Za-z])\d{6}(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")


def mask_name(name: str) -> str:
    """An individual's name for the public: 张三明 → 张*明, 张三 → 张*, 欧阳娜娜 → 欧**娜."""
    name = (name or "").strip()
    if len(name) <= 1:
        return name
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def scrub(text: str, *, secrets: list[str] = (), names: list[str] = ()) -> str:
    """``text`` without personal data: known ``secrets`` (ID numbers, phones, home addresses) removed, ``names``
    masked, and any remaining ID-number or phone-number pattern blanked."""
    text = text or ""
    for value in sorted({s for s in secrets if s and len(s) >= 4}, key=len, reverse=True):
        text = text.replace(value, "（已隐去）")
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    text = ID_NO.sub("（已隐去）", text)
    text = MOBILE.sub("（已隐去）", text)
    return LANDLINE.sub("（已隐去）", text)


def public_party(penalty) -> dict:
    """Who the public notice names: an organisation in full with its code and legal representative; an individual
    business by its name with the operator masked; a natural person by the masked name only."""
    case = penalty.case
    entity = penalty.entity
    if entity is not None:
        if entity.kind == "individual":
            operator = entity.legal_rep
            name = (penalty.party_name or entity.name).replace(operator, mask_name(operator)) if operator else (
                penalty.party_name or entity.name)
            return {"name": name, "uscc": entity.uscc, "legal_rep": mask_name(operator), "individual": True,
                    "secrets": [entity.legal_rep_id_no, entity.phone, case.party_address, case.party_id_no],
                    "names": [operator, case.party_name if case.party_name != entity.name else ""]}
        return {"name": penalty.party_name or entity.name, "uscc": entity.uscc, "legal_rep": entity.legal_rep,
                "individual": False, "secrets": [entity.legal_rep_id_no, entity.phone], "names": []}
    if penalty.party_kind == "individual":
        return {"name": mask_name(penalty.party_name), "uscc": "", "legal_rep": "", "individual": True,
                "secrets": [case.party_id_no, case.party_address], "names": [penalty.party_name]}
    code = case.party_id_no if len(case.party_id_no or "") == 18 and not ID_NO.fullmatch(case.party_id_no) else ""
    return {"name": penalty.party_name, "uscc": code, "legal_rep": "", "individual": False, "secrets": [],
            "names": []}


# --- the rules applied -----------------------------------------------------------------------------------------------


def is_publishable(penalty) -> bool:
    """Ordinary procedure, and not a warning alone (Order 45 art. 6–7)."""
    if penalty.case.procedure != "ordinary":
        return False
    kinds = set(penalty.kinds or ())
    return bool(kinds) and kinds != {"warning"}


def is_light(penalty, on: dt.date) -> bool:
    """Only 通报批评 and/or a fine not above the province's low-fine threshold — the one rule
    ``enforcement.light_fine_max`` (per party kind), also read by ``services.is_light``."""
    kinds = set(penalty.kinds or ()) - {"warning"}
    if not kinds or not kinds <= {"criticism", "fine"}:
        return False
    if "fine" in kinds:
        return Decimal(penalty.fine_amount or 0) <= light_fine_limit(penalty.party_kind, on)
    return True


def light_fine_limit(party_kind: str, on: dt.date) -> Decimal:
    limits = rule("enforcement.light_fine_max", on=on)
    return Decimal(str(limits.get(party_kind, limits.get("organisation"))))


def add_months(day: dt.date, months: int) -> dt.date:
    """The corresponding day ``months`` later (the month's last day when it has none: 31 Aug + 6 → 28/29 Feb)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    for d in range(day.day, 27, -1):  # 31, 30, 29, 28: the month's last day when it has no such day
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    return dt.date(year, month, day.day)  # days 1–27 exist in every month


def deadline_days(decided_on: dt.date) -> int:
    """The national 20 working days, or the province's shorter period when the bureau has set one."""
    days = int(rule("enforcement.publication.deadline_workdays", on=decided_on))
    local = int(rule("enforcement.publication.local_deadline_workdays", on=decided_on) or 0)
    return min(days, local) if local > 0 else days


def deadline_for(decided_on: dt.date) -> dt.date | None:
    """The last day to publish; ``None`` when the working-day calendar does not cover it yet (the sweep retries)."""
    days = deadline_days(decided_on)
    try:
        return workdays.add_workdays(decided_on, days)
    except workdays.CalendarUnknown:
        return None


def ends_on_for(published_on: dt.date, light: bool) -> dt.date:
    key = "enforcement.publication.light_months" if light else "enforcement.publication.months"
    return add_months(published_on, int(rule(key, on=published_on)))


def _content(penalty) -> str:
    from .documents import penalty_lines

    return "\n".join(penalty_lines(penalty.kinds, penalty.fine_amount, penalty.confiscated_amount,
                                   penalty.confiscated_items, penalty.suspension_days))


def _snapshot(penalty) -> dict:
    from .documents import authority_for, authority_name

    party = public_party(penalty)
    keep = {"secrets": party["secrets"], "names": party["names"]}
    case = penalty.case
    return {
        "decision_no": penalty.decision_no,
        "party_name": party["name"],
        "uscc": party["uscc"],
        "legal_rep": party["legal_rep"],
        "authority_name": authority_name(authority_for(penalty.unit)),
        "case_type": case.case_type_label() if hasattr(case, "case_type_label") else case.case_type,
        "kinds": penalty.kind_labels(),
        "fine_amount": penalty.fine_amount or 0,
        "confiscated_amount": penalty.confiscated_amount or 0,
        "facts": scrub(penalty.facts or case.facts, **keep),
        "legal_basis": scrub(penalty.legal_basis, **keep),
        "content": scrub(_content(penalty), **keep),
    }


# --- other provinces, revoked decisions (Order 45 arts. 10, 11) -------------------------------------------------------


def other_province(penalty) -> str:
    """The province code of a party registered outside the bureau's province ('' when at home or unknown)."""
    division = getattr(penalty.entity, "division_id", "") or ""
    home = str(rule("enforcement.publication.home_province", on=penalty.decided_on))
    return division[:2] if len(division) >= 2 and division[:2] != home else ""


def _push_days(decided_on: dt.date, extended: bool) -> int:
    days = int(rule("enforcement.publication.other_province_workdays", on=decided_on))
    if extended:
        days += int(rule("enforcement.publication.other_province_extension_workdays", on=decided_on))
    return days


def push_due_for(decided_on: dt.date, *, extended: bool = False) -> dt.date | None:
    try:
        return workdays.add_workdays(decided_on, _push_days(decided_on, extended))
    except workdays.CalendarUnknown:
        return None


def push_due_provisional(decided_on: dt.date, *, extended: bool = False) -> tuple[dt.date, bool]:
    """The push deadline that never refuses: (date, provisional). A year whose holidays are not entered yet is counted
    as having none; the date is shown 暂定 like every other provisional deadline and recomputed by the sweep."""
    return workdays.add_workdays_provisional(decided_on, _push_days(decided_on, extended))


def withdraw_due_for(revoked_on: dt.date) -> dt.date | None:
    try:
        return workdays.add_workdays(revoked_on, int(rule("enforcement.publication.withdraw_workdays", on=revoked_on)))
    except workdays.CalendarUnknown:
        return None


@transaction.atomic
def publication_push(*, publication, actor, today: dt.date | None = None):
    """Record that the decision was pushed to the party's home province system (Order 45 art. 10). Idempotent."""
    today = today or timezone.localdate()
    pub = _locked(publication)
    if not pub.other_province:
        raise TransitionNotAllowed("当事人登记地在本省，无需推送", code="not_other_province")
    if pub.pushed_on:
        return pub
    pub.pushed_on, pub.push_overdue = today, False
    pub.save(update_fields=["pushed_on", "push_overdue"])
    audit.record(actor=actor, action="enforcement.publication.pushed", obj=pub, unit=pub.unit,
                 changes={"pushed_on": [None, today], "late": [None, bool(pub.push_due and today > pub.push_due)]})
    return pub


@transaction.atomic
def publication_push_extend(*, publication, actor, reason: str, approver=None, today: dt.date | None = None):
    """Extend the push to the other province by 10 working days for a special reason (Order 45 art. 10: 有特殊原因
    的，经批准可以延长), approved by a head of the unit (``approver``, a person; default the actor), once, before the
    first 10 end. Idempotent: the same approval submitted twice (a double click) returns the record unchanged, with
    one audit entry."""
    from .services import check_head

    today = today or timezone.localdate()
    reason = (reason or "").strip()
    approver = approver if approver is not None else (actor if getattr(actor, "is_authenticated", False) else None)
    pub = _locked(publication)
    if pub.push_extended:
        if pub.push_extension_approved_by_id == getattr(approver, "pk", None) and pub.push_extension_reason == reason:
            return pub  # the same approval again
        raise TransitionNotAllowed("推送期限已经延长过一次", code="already_extended")
    if not pub.other_province:
        raise TransitionNotAllowed("当事人登记地在本省，无需推送，也无需延长推送期限", code="not_other_province")
    if pub.pushed_on:
        raise TransitionNotAllowed(f"已于 {pub.pushed_on:%Y-%m-%d} 推送，无需延长", code="wrong_state")
    if not reason:
        raise ValidationFailed("请写明延长的特殊原因", field="reason")
    if pub.push_due and today > pub.push_due:
        raise TransitionNotAllowed(f"推送期限已于 {pub.push_due:%Y-%m-%d} 届满，不能再批准延长", code="clock_expired")
    if today < pub.decided_on:
        raise ValidationFailed("批准日期不能早于处罚决定日期", field="on")
    check_head(approver, pub.unit_id, what="延长推送期限")
    before = pub.push_due
    pub.push_extended, pub.push_extension_approved_by = True, approver
    pub.push_extension_approved_on, pub.push_extension_reason = today, reason
    pub.push_due, pub.push_due_provisional = push_due_provisional(pub.decided_on, extended=True)
    pub.push_overdue = bool(pub.push_due and today > pub.push_due)
    pub.save(update_fields=["push_extended", "push_extension_approved_by", "push_extension_approved_on",
                            "push_extension_reason", "push_due", "push_due_provisional", "push_overdue"])
    audit.record(actor=actor, action="enforcement.publication.push_extended", obj=pub, unit=pub.unit,
                 changes={"push_due": [before, pub.push_due], "reason": [None, reason],
                          "approved_by": [None, approver.get_username()], "approved_on": [None, today]})
    return pub


def push_explained(pub) -> workdays.Explanation | None:
    """How the push deadline was counted: 10 working days from the decision (+10 with a head's approval), Order 45
    art. 10. None when the party is at home or the decision was pushed."""
    from .clocks import PROVISIONAL

    if not pub.other_province or pub.pushed_on:
        return None
    days = int(rule("enforcement.publication.other_province_workdays", on=pub.decided_on))
    extensions = ()
    if pub.push_extended:
        who = pub.push_extension_approved_by
        name = (who.get_full_name() or who.get_username()) if who else "负责人"
        when = f"于{pub.push_extension_approved_on:%Y-%m-%d}" if pub.push_extension_approved_on else ""
        why = f"（{pub.push_extension_reason}）" if pub.push_extension_reason else ""
        extensions = ((int(rule("enforcement.publication.other_province_extension_workdays", on=pub.decided_on)),
                       f"因特殊原因{why}经负责人{name}{when}批准"),)
    return workdays.Explanation(
        what=f"推送至当事人登记地（{province_name(pub.other_province)}）省级公示系统期限", start_event="作出行政处罚决定",
        start_on=pub.decided_on, days=days, unit="workdays",
        article=RULES["enforcement.publication.other_province_workdays"].source, due_on=pub.push_due,
        extensions=extensions, notes=(PROVISIONAL,) if pub.push_due_provisional else ())


@job(625, "enforcement-publication-push-overdue", "外省当事人处罚信息：推送期限届满仍未推送的，标记超期")
def push_overdue_sweep(*, today, stdout) -> dict[str, int]:
    """Flag the decisions not pushed to the party's home province by their deadline (Order 45 art. 10); clear the
    flag once pushed or extended past today. Two UPDATEs, idempotent."""
    from .document_models import Publication

    flagged = (Publication.objects.exclude(other_province="").filter(pushed_on__isnull=True, push_due__lt=today,
                                                                   push_overdue=False).update(push_overdue=True))
    cleared = (Publication.objects.filter(push_overdue=True)
               .filter(Q(pushed_on__isnull=False) | Q(push_due__gte=today) | Q(other_province=""))
               .update(push_overdue=False))
    return {"push_overdue_flagged": flagged, "push_overdue_cleared": cleared}


# --- services --------------------------------------------------------------------------------------------------------


def _locked(publication):
    from .document_models import Publication

    return Publication.objects.select_for_update(of=("self",)).select_related(
        "penalty", "penalty__case", "penalty__entity", "penalty__unit").get(pk=publication.pk)


@transaction.atomic
def publication_schedule(*, penalty, actor, today: dt.date | None = None):
    """Record that ``penalty`` is to be published, with its deadline; ``None`` when it is not published at all
    (simplified procedure, warning alone). Idempotent: the existing record is returned."""
    from .document_models import Publication
    from .models import Penalty

    today = today or timezone.localdate()
    penalty = Penalty.objects.select_for_update(of=("self",)).select_related("case", "entity", "unit").get(
        pk=penalty.pk)
    existing = Publication.objects.filter(penalty=penalty).first()
    if existing is not None:
        return existing
    if not is_publishable(penalty):
        return None
    province = other_province(penalty)
    push_due, push_provisional = push_due_provisional(penalty.decided_on) if province else (None, False)
    pub = Publication.objects.create(penalty=penalty, entity=penalty.entity, unit=penalty.unit,
                                     decided_on=penalty.decided_on, deadline=deadline_for(penalty.decided_on),
                                     is_light=is_light(penalty, penalty.decided_on), other_province=province,
                                     push_due=push_due, push_due_provisional=push_provisional,
                                     **_snapshot(penalty))
    if penalty.publication_deadline != pub.deadline:
        penalty.publication_deadline = pub.deadline
        penalty.save(update_fields=["publication_deadline"])
    audit.record(actor=actor, action="enforcement.publication.scheduled", obj=pub, unit=pub.unit,
                 changes={"deadline": [None, pub.deadline], "is_light": [None, pub.is_light]})
    return pub


@transaction.atomic
def publication_publish(*, publication, actor, today: dt.date | None = None):
    """Publish on the portal from ``today``, with a fresh masked snapshot; shown until ``ends_on``."""
    from .document_models import PublicationStatus

    today = today or timezone.localdate()
    pub = _locked(publication)
    if pub.status == PublicationStatus.PUBLISHED:
        return pub
    if pub.status != PublicationStatus.PENDING:
        raise TransitionNotAllowed(f"该处罚信息{pub.get_status_display()}，不能再公示")
    if today < pub.decided_on:
        raise ValidationFailed("公示日期不能早于处罚决定日期", field="today")
    for field, value in _snapshot(pub.penalty).items():
        setattr(pub, field, value)
    pub.is_light = is_light(pub.penalty, pub.decided_on)
    pub.status = PublicationStatus.PUBLISHED
    pub.published_on = today
    pub.ends_on = ends_on_for(today, pub.is_light)
    pub.save()
    penalty = pub.penalty
    penalty.published_on, penalty.publication_ends_on = pub.published_on, pub.ends_on
    penalty.publication_deadline = pub.deadline
    penalty.save(update_fields=["published_on", "publication_ends_on", "publication_deadline"])
    late = pub.deadline is not None and today > pub.deadline
    audit.record(actor=actor, action="enforcement.publication.published", obj=pub, unit=pub.unit,
                 changes={"status": ["pending", "published"], "published_on": [None, today],
                          "ends_on": [None, pub.ends_on], "late": [None, late]})
    return pub


@transaction.atomic
def publication_end(*, publication, actor, reason: str, note: str = "", today: dt.date | None = None,
                    revoked_on: dt.date | None = None):
    """Stop showing the decision (term over, credit repair, decision revoked). Idempotent. A decision revoked or
    changed on ``revoked_on`` must be withdrawn within 3 working days (Order 45 art. 11): the deadline and whether it
    was met are recorded."""
    from .document_models import EndReason, PublicationStatus

    today = today or timezone.localdate()
    if reason not in EndReason.values:
        raise ValidationFailed(f"停止公示原因「{reason}」无效", field="reason")
    if reason != EndReason.EXPIRED and not note.strip():
        raise ValidationFailed("提前停止公示须写明依据", field="note")
    pub = _locked(publication)
    if pub.status == PublicationStatus.ENDED:
        return pub
    before = pub.status
    pub.status = PublicationStatus.ENDED
    pub.ended_on = today
    pub.end_reason = reason
    pub.end_note = note.strip()[:200]
    if reason == EndReason.REVOKED:
        pub.revoked_on = min(revoked_on or today, today)
        pub.withdraw_due = withdraw_due_for(pub.revoked_on)
        pub.withdrawn_late = bool(pub.withdraw_due and today > pub.withdraw_due)
    if reason != EndReason.EXPIRED and (pub.ends_on is None or pub.ends_on >= today):
        pub.ends_on = today - dt.timedelta(days=1)  # not shown from today on
    pub.save(update_fields=["status", "ended_on", "end_reason", "end_note", "ends_on", "revoked_on", "withdraw_due",
                            "withdrawn_late"])
    penalty = pub.penalty
    if pub.published_on is not None and penalty.publication_ends_on != pub.ends_on:
        penalty.publication_ends_on = pub.ends_on
        penalty.save(update_fields=["publication_ends_on"])
    audit.record(actor=actor, action="enforcement.publication.ended", obj=pub, unit=pub.unit,
                 changes={"status": [before, "ended"], "reason": [None, reason], "note": [None, pub.end_note]})
    return pub


def end_for_repair(repair, *, actor="system", today: dt.date | None = None) -> int:
    """End the publication named by a granted penalty-publication repair; returns how many were ended."""
    from .document_models import EndReason, Publication, PublicationStatus

    if repair.kind != "penalty_publication" or repair.status != "approved" or not repair.penalty_ref:
        return 0
    ended = 0
    for pub in Publication.objects.filter(decision_no=repair.penalty_ref.strip(), entity_id=repair.entity_id,
                                          status__in=(PublicationStatus.PENDING, PublicationStatus.PUBLISHED)):
        publication_end(publication=pub, actor=actor, reason=EndReason.REPAIRED,
                        note=f"信用修复决定（{repair.decision_no or repair.pk}）", today=repair.decided_on or today)
        ended += 1
    return ended


def _repair_saved(sender, instance, **kwargs) -> None:
    # The repair decision runs in credit's transaction: ending here keeps both in one commit.
    if instance.kind == "penalty_publication" and instance.status == "approved":
        end_for_repair(instance, actor=instance.decided_by or "system")


def connect_signals() -> None:
    from jianguan.credit.models import RepairApplication

    post_save.connect(_repair_saved, sender=RepairApplication, dispatch_uid="enforcement-publication-repair")


# --- the daily sweep ---------------------------------------------------------------------------------------------------


@job(620, "enforcement-penalty-publication", "行政处罚信息公示：补登记、到期公示、期满停止公示")
def publication_sweep(*, today, stdout) -> dict[str, int]:
    """Schedule new decisions, publish the served or due ones, end the expired or repaired ones. Idempotent."""
    from jianguan.credit.models import RepairApplication

    from .document_models import EndReason, Publication, PublicationStatus
    from .models import Penalty

    counts = {"scheduled": 0, "deadlines_filled": 0, "published": 0, "ended": 0, "repaired": 0}
    new = Penalty.objects.filter(publication__isnull=True, decided_on__lte=today,
                                 case__procedure="ordinary").select_related("case")
    for penalty in new.iterator():
        if not is_publishable(penalty):  # a warning alone: nothing to record, checked without taking a lock
            continue
        if publication_schedule(penalty=penalty, actor="system", today=today) is not None:
            counts["scheduled"] += 1
    provisional_pushes = (Publication.objects.exclude(other_province="").filter(pushed_on__isnull=True)
                          .filter(Q(push_due__isnull=True) | Q(push_due_provisional=True)))
    for pub in provisional_pushes:
        due = push_due_provisional(pub.decided_on, extended=pub.push_extended)
        if due != (pub.push_due, pub.push_due_provisional):
            Publication.objects.filter(pk=pub.pk).update(push_due=due[0], push_due_provisional=due[1])
            counts["push_deadlines_recomputed"] = counts.get("push_deadlines_recomputed", 0) + 1
    for pub in Publication.objects.filter(status=PublicationStatus.PENDING, deadline__isnull=True):
        deadline = deadline_for(pub.decided_on)
        if deadline is not None:
            Publication.objects.filter(pk=pub.pk).update(deadline=deadline)
            Penalty.objects.filter(pk=pub.penalty_id).update(publication_deadline=deadline)
            counts["deadlines_filled"] += 1
    pending = Publication.objects.filter(status=PublicationStatus.PENDING, decided_on__lte=today).select_related(
        "penalty__case")
    for pub in pending.iterator():
        due = pub.deadline is not None and pub.deadline <= today
        if due or pub.penalty.case.status in SERVED_STATUSES:
            publication_publish(publication=pub, actor="system", today=today)
            counts["published"] += 1
    for pub in Publication.objects.filter(status=PublicationStatus.PUBLISHED, ends_on__lt=today):
        publication_end(publication=pub, actor="system", reason=EndReason.EXPIRED, today=today)
        counts["ended"] += 1
    repairs = RepairApplication.objects.filter(kind="penalty_publication", status="approved",
                                               decision_no__gt="").exclude(penalty_ref="")
    open_refs = set(Publication.objects.exclude(status=PublicationStatus.ENDED).values_list("decision_no", flat=True))
    for repair in repairs.filter(penalty_ref__in=open_refs):
        counts["repaired"] += end_for_repair(repair, today=today)
    return counts


# --- reads -------------------------------------------------------------------------------------------------------------


def shown(today: dt.date | None = None):
    """What the public sees today: published and not past its last day."""
    from .document_models import Publication, PublicationStatus

    today = today or timezone.localdate()
    return Publication.objects.filter(status=PublicationStatus.PUBLISHED, published_on__lte=today, ends_on__gte=today)


def connect() -> None:
    """Called from ``EnforcementConfig.ready``: the credit-repair hook and the portal menu entry.

    The credit record shows penalties through ``credit_hooks.timeline``, public while ``Penalty.is_published``:
    the ``published_on``/``publication_ends_on`` this module keeps in step with the publication."""
    from jianguan.core.navigation import NavItem, register
    from jianguan.portal.menu import PortalItem, register_public

    connect_signals()
    register(NavItem("行政执法", "处罚信息公示", "enforcement_documents:publications", "enforcement.view_case",
                     icon="megaphone", order=504))
    register_public(PortalItem("行政处罚信息公示", "enforcement_public:index", icon="shield-exclamation",
                               description="适用普通程序作出的行政处罚决定（公示期内）", order=45))


# --- demo ---------------------------------------------------------------------------------------------------------


def _demo_step():
    from jianguan.core.demo import step

    @step(61, "行政处罚信息公示与执法文书")
    def demo_publication(*, today: dt.date, stdout) -> dict[str, int]:
        """After the enforcement demo: publish what is due, and print the decision of each decided case."""
        from . import documents
        from .models import Penalty

        counts = publication_sweep(today=today, stdout=stdout)
        issued = 0
        decided = (Penalty.objects.filter(case__procedure="ordinary").exclude(case__documents__kind="penalty_decision")
                   .select_related("case", "decided_by").order_by("id"))
        for penalty in decided[:12]:  # a dozen is enough to show; each PDF takes a moment
            officer = penalty.case.assignments.select_related("user").order_by("-is_lead", "id").first()
            actor = officer.user if officer is not None else penalty.decided_by
            if actor is None:
                continue
            documents.document_issue(case=penalty.case, kind="penalty_decision", actor=actor,
                                     today=min(penalty.decided_on, today))
            issued += 1
        return {"published": counts["published"], "scheduled": counts["scheduled"], "decisions_printed": issued}

    return demo_publication


demo_publication = _demo_step()
