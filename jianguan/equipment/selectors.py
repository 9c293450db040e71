"""Scoped reads of the equipment register. Views and the API read only through these.

``devices_inspected_on_time_rate(scope, year)`` is the figure the work plan (#19) reads.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from jianguan.core import lists
from jianguan.core.rules import rule
from jianguan.core.scope import Scope, get_in_scope_or_404, scope_filter, scope_for

from . import categories
from .models import Campaign, Device, DeviceStatus, Hazard, Inspection, OperatorCertificate
from .schedule import SUPERVISION

LIST_FIELDS = ("id", "code", "category", "location", "status", "next_due", "next_kind", "apply_by",
               "last_inspected_on", "last_conclusion", "entity__name", "entity__uscc", "unit__short_name",
               "unit__name")


def devices(user) -> QuerySet[Device]:
    """The devices ``user`` may see (by the supervising unit)."""
    return scope_filter(Device.objects.all(), user)


def device_for(user, pk: int) -> Device:
    return get_in_scope_or_404(Device.objects.select_related("entity", "unit"), user, pk=pk)


@dataclass(frozen=True)
class Filters:
    q: str = ""
    category: str = ""
    status: str = ""
    unit: str = ""
    due: str = ""  # overdue / soon / apply


def search(user, f: Filters, *, today: dt.date | None = None) -> QuerySet:
    today = today or timezone.localdate()
    qs = devices(user)
    if f.q:
        q = f.q.strip()
        qs = qs.filter(Q(code=q.upper()) | Q(registration_no=q) | Q(location__contains=q) | Q(entity__name__contains=q))
    if f.category:
        qs = qs.filter(category__startswith=f.category[:1]) if f.category.endswith("000") else qs.filter(
            category=f.category)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit:
        qs = qs.filter(unit__path__startswith=f.unit) if not f.unit.isdigit() else qs.filter(unit_id=int(f.unit))
    if f.due:
        qs = due_filter(qs, f.due, today)
    return qs


def due_filter(qs: QuerySet, which: str, today: dt.date) -> QuerySet:
    """overdue: past the due date; soon: due within ``equipment.due_soon_days``; apply: the one-month application
    date (第四十条) has passed but the due date has not."""
    qs = qs.filter(status=DeviceStatus.IN_USE, next_due__isnull=False)
    if which == "overdue":
        return qs.filter(next_due__lt=today)
    if which == "soon":
        return qs.filter(next_due__gte=today,
                         next_due__lte=today + dt.timedelta(days=int(rule("equipment.due_soon_days", on=today))))
    if which == "apply":
        return qs.filter(apply_by__lte=today, next_due__gte=today)
    return qs.none()


def due_search(user, which: str, *, unit_ids=None, today: dt.date | None = None) -> QuerySet:
    """One due list (``due_filter``) of the user's scope or the given units, as rows of LIST_FIELDS (DUE_LIST)."""
    qs = devices(user)
    if unit_ids is not None:
        qs = qs.filter(unit_id__in=unit_ids)
    return due_filter(qs, which, today or timezone.localdate()).values(*LIST_FIELDS)


def _due_rows(rows: list, today: dt.date | None = None) -> None:
    """Labels, days overdue and what was done about an overdue device at its current due date (责令改正, 移送线索):
    one query for the batch."""
    from .models import OverdueAction

    today = today or timezone.localdate()
    _label_rows(rows)
    late = [r["id"] for r in rows if r["next_due"] < today]
    acted: dict = {}
    if late:
        for a in OverdueAction.objects.filter(device_id__in=late).values("device_id", "due", "kind", "reference"):
            acted.setdefault((a["device_id"], a["due"]), {})[a["kind"]] = a["reference"]
    for row in rows:
        row["days_overdue"] = max((today - row["next_due"]).days, 0)
        done = acted.get((row["id"], row["next_due"]), {})
        row["order_number"], row["lead_reference"] = done.get("order", ""), done.get("lead", "")


def due_list(user, which: str, *, unit_ids=None, today: dt.date | None = None, limit: int = 100) -> tuple[list, int]:
    """The first ``limit`` rows of one due list (oldest due first) and its size, for the user's scope or the given
    units."""
    today = today or timezone.localdate()
    qs = due_search(user, which, unit_ids=unit_ids, today=today)
    rows = list(qs.order_by("next_due", "id")[:limit])
    total = len(rows) if len(rows) < limit else qs.count()
    _due_rows(rows, today)
    return rows, total


def due_counts(user, *, today: dt.date | None = None) -> dict[str, int]:
    """Counts for the home card: overdue, due within the window, application date passed."""
    today = today or timezone.localdate()
    soon_end = today + dt.timedelta(days=int(rule("equipment.due_soon_days", on=today)))
    qs = devices(user).filter(status=DeviceStatus.IN_USE, next_due__isnull=False)
    return qs.aggregate(
        overdue=Count("id", filter=Q(next_due__lt=today)),
        soon=Count("id", filter=Q(next_due__gte=today, next_due__lte=soon_end)),
        month=Count("id", filter=Q(next_due__gte=today.replace(day=1), next_due__year=today.year,
                                   next_due__month=today.month)),
    )


def overdue_by_unit(user, *, today: dt.date | None = None) -> list[dict]:
    """Overdue devices per supervising unit (the unit table of the due page)."""
    today = today or timezone.localdate()
    qs = due_filter(devices(user), "overdue", today)
    return list(qs.values("unit_id", "unit__name").annotate(n=Count("id")).order_by("-n", "unit__name"))


def inspections_of(device: Device) -> QuerySet[Inspection]:
    return device.inspections.select_related("recorded_by").order_by("-inspected_on", "-id")


def entity_devices(user, entity) -> list[Device]:
    """The devices of ``entity`` for its staff page (the entity itself passed the scope check)."""
    return list(Device.objects.filter(entity=entity).order_by("status", "next_due", "code"))


def certificates(user) -> QuerySet[OperatorCertificate]:
    return scope_filter(OperatorCertificate.objects.select_related("entity"), user)


def hazards(user) -> QuerySet[Hazard]:
    return scope_filter(Hazard.objects.select_related("device", "device__entity"), user)


def campaigns(user) -> QuerySet[Campaign]:
    return Campaign.objects.select_related("unit").annotate(checked=Count("checks"))


# --- public: the lift status by address (the sign in every lift car) ----------------------------------------------

PUBLIC_FIELDS = ("code", "category", "location", "registration_no", "maintainer", "last_inspected_on",
                 "last_conclusion", "next_due", "status", "entity__name")


def public_lifts(address: str, *, limit: int = 50) -> list[dict]:
    """Lifts in use or stopped whose location contains ``address`` (at least 4 characters): the facts posted in
    the car — no personal data (the using unit is an organisation)."""
    address = (address or "").strip()
    if len(address) < 4:
        return []
    qs = (Device.objects.filter(category__startswith="3", location__contains=address,
                                status__in=(DeviceStatus.IN_USE, DeviceStatus.STOPPED))
          .order_by("location", "code").values(*PUBLIC_FIELDS)[:limit])
    today = timezone.localdate()
    rows = []
    for row in qs:
        row["category_label"] = categories.label(row["category"])
        row["valid"] = bool(row["status"] == DeviceStatus.IN_USE and row["next_due"] and row["next_due"] >= today
                            and row["last_conclusion"] != "failed")
        rows.append(row)
    return rows


# --- figures for the work plan (#19) ------------------------------------------------------------------------------


def _in_scope(qs: QuerySet, scope: Scope | None, field: str = "unit_id") -> QuerySet:
    if scope is None or scope.everything:
        return qs
    return qs.filter(**{f"{field}__in": scope.unit_ids})


def devices_inspected_on_time_rate(scope: Scope | None, year: int) -> dict:
    """Of the inspections that fell due in ``year`` (the due date each inspection record set for the next one),
    how many were met by a later inspection on or before that date. ``scope``: a ``core.scope.Scope`` (None or
    EVERYTHING: the whole bureau). Returns {"due", "on_time", "rate"} (rate None when nothing fell due)."""
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    qs = _in_scope(Inspection.objects.exclude(kind=SUPERVISION), scope, "device__unit_id")
    due_rows = list(qs.filter(next_due__gte=start, next_due__lte=end).values_list("device_id", "inspected_on",
                                                                                  "next_due"))
    if not due_rows:
        return {"due": 0, "on_time": 0, "rate": None}
    later = {}
    for device_id, on in qs.filter(device_id__in={r[0] for r in due_rows}, inspected_on__gte=dt.date(year - 7, 1, 1)
                                   ).values_list("device_id", "inspected_on"):
        later.setdefault(device_id, []).append(on)
    on_time = 0
    for device_id, inspected_on, due in due_rows:
        if any(inspected_on < d <= due for d in later.get(device_id, ())):
            on_time += 1
    return {"due": len(due_rows), "on_time": on_time, "rate": round(on_time / len(due_rows), 4)}


def scope_of(user) -> Scope:
    return scope_for(user)


def orders(user):
    """The orders to correct (责令改正通知书) of the user's scope, files deferred, newest first."""
    from .models import RectificationOrder

    qs = (RectificationOrder.objects.select_related("device", "entity", "unit").defer("docx", "pdf")
          .order_by("-issued_on", "-id"))
    return scope_filter(qs, user)


# --- the device list on the workbench (core.lists) --------------------------------------------------------------------


def _label_rows(rows: list) -> None:
    status = dict(DeviceStatus.choices)
    for row in rows:
        row["category_label"] = categories.label(row["category"])
        row["status_label"] = status.get(row["status"], row["status"])


DEVICE_LIST = lists.Spec(
    key="equipment.devices", title="特种设备台账", default_sort="code", export_permission="equipment.export_device",
    prepare=_label_rows,
    columns=(
        lists.Column("code", "设备代码", sort="code", width=20),
        lists.Column("category", "类别", "category_label", sort="category", width=16),
        lists.Column("entity", "使用单位", "entity__name", sort="entity__name", width=30),
        lists.Column("uscc", "统一社会信用代码", "entity__uscc", width=20, header=False),
        lists.Column("location", "使用地点", sort="location", width=30),
        lists.Column("unit", "监管单位", lambda r: r["unit__short_name"] or r["unit__name"], sort="unit__path",
                     width=16),
        lists.Column("status", "状态", "status_label", sort="status", width=10),
        lists.Column("next_due", "下次检验", sort="next_due", width=12),
    ))


def _done(row) -> str:
    return "；".join(x for x in (row.get("order_number") and f"已责令改正 {row['order_number']}",
                                 row.get("lead_reference") and f"已移送线索 {row['lead_reference']}") if x)


#: 检验到期与超期: a work queue, the earliest due date first (the longest overdue at the top).
DUE_LIST = lists.Spec(
    key="equipment.due", title="检验到期与超期", default_sort="next_due", default_note="下次检验日期最早的在前",
    export_permission="equipment.export_device", prepare=_due_rows, page_size=50,
    columns=(
        lists.Column("code", "设备代码", sort="code", width=20),
        lists.Column("category", "类别", "category_label", sort=("category", "next_due"), width=16),
        lists.Column("entity", "使用单位", "entity__name", sort=("entity__name", "next_due"), width=30),
        lists.Column("uscc", "统一社会信用代码", "entity__uscc", width=20, header=False),
        lists.Column("location", "地点", sort=("location", "next_due"), width=30),
        lists.Column("unit", "监管单位", lambda r: r["unit__short_name"] or r["unit__name"],
                     sort=("unit__path", "next_due"), width=16),
        lists.Column("next_due", "下次检验", sort="next_due", width=12),
        lists.Column("days_overdue", "超期天数", width=10, header=False),
        lists.Column("apply_by", "申报日期", sort="apply_by", width=12),
        lists.Column("done", "处置", _done, width=30, header=False),
    ))


def _order_rows(rows: list) -> None:
    today = timezone.localdate()
    for order in rows:
        order.late = order.status == "open" and order.correct_by < today


#: 责令改正通知书: a work queue, the nearest time limit first.
ORDER_LIST = lists.Spec(
    key="equipment.orders", title="责令改正通知书（超期未检）", default_sort="correct_by",
    default_note="改正期限最近的在前", export_permission="equipment.export_device", prepare=_order_rows,
    columns=(
        lists.Column("number", "文书编号", sort="number", width=22),
        lists.Column("device", "设备", "device.code", sort="device__code", width=20),
        lists.Column("entity", "使用单位", "entity.name", sort="entity__name", width=30),
        lists.Column("due", "超期的检验日期", sort="due", width=14),
        lists.Column("correct_by", "改正期限", sort="correct_by", width=12),
        lists.Column("status", "状态", lambda o: o.get_status_display(), sort="status", width=10),
    ))

#: 事故隐患: a work queue, the nearest rectification deadline first.
HAZARD_LIST = lists.Spec(
    key="equipment.hazards", title="事故隐患整改", default_sort="deadline", default_note="整改期限最近的在前",
    export_permission="equipment.export_device",
    columns=(
        lists.Column("device", "设备", "device.code", sort="device__code", width=20),
        lists.Column("entity", "使用单位", "device.entity.name", sort="device__entity__name", width=30),
        lists.Column("level", "隐患", lambda h: f"{h.get_level_display()}：{h.description}", sort="level", width=40),
        lists.Column("found_on", "发现", sort="found_on", width=12),
        lists.Column("deadline", "整改期限", sort="deadline", width=12),
        lists.Column("rectification", "整改情况", lambda h: h.rectification + (
            f"（{h.rectified_on:%Y-%m-%d}）" if h.rectified_on else ""), width=30),
        lists.Column("status", "状态", lambda h: h.get_status_display(), header=False, width=10),
    ))

#: 作业人员证: the soonest expiry first.
CERTIFICATE_LIST = lists.Spec(
    key="equipment.certificates", title="特种设备作业人员证", default_sort="expires_on",
    default_note="有效期最早到的在前", export_permission="equipment.export_device",
    columns=(
        lists.Column("number", "证书编号", sort="number", width=22),
        lists.Column("holder", "持证人", sort="holder", width=12),
        lists.Column("kind", "作业项目", lambda c: f"{c.kind} {c.get_kind_display()}", sort="kind", width=24),
        lists.Column("entity", "聘用单位", "entity.name", sort="entity__name", width=30),
        lists.Column("expires_on", "有效期至", sort="expires_on", width=12),
    ))

#: 特种设备事故: the latest first.
ACCIDENT_LIST = lists.Spec(
    key="equipment.accidents", title="特种设备事故", default_sort="-occurred_on", default_note="最近发生的在前",
    export_permission="equipment.export_device",
    columns=(
        lists.Column("occurred_on", "日期", sort="occurred_on", width=12),
        lists.Column("device", "设备", "device.code", sort="device__code", width=20),
        lists.Column("entity", "使用单位", "device.entity.name", sort="device__entity__name", width=30),
        lists.Column("level", "等级", "get_level_display", sort="level", width=10),
        lists.Column("deaths", "死亡", sort="deaths", width=6),
        lists.Column("injuries", "受伤", sort="injuries", width=6),
        lists.Column("description", "经过和原因", width=50),
        lists.Column("penalty", "行政处罚", lambda a: a.penalty.decision_no if a.penalty_id else "", width=24),
    ))

#: 特种设备专项整治: the latest started first.
CAMPAIGN_LIST = lists.Spec(
    key="equipment.campaigns", title="特种设备专项整治", default_sort="-starts_on", default_note="最近开始的在前",
    export_permission="equipment.export_device",
    columns=(
        lists.Column("title", "名称", sort="title", width=30),
        lists.Column("tag", "标签", sort="tag", width=10),
        lists.Column("starts_on", "开始", sort="starts_on", width=12),
        lists.Column("ends_on", "结束", sort="ends_on", width=12),
        lists.Column("categories", "设备类别", lambda c: "、".join(c.categories), width=16),
        lists.Column("items", "检查项目", lambda c: len(c.checklist), width=10),
        lists.Column("checked", "已检查（台）", sort="checked", width=12),
        lists.Column("unit", "组织单位", "unit.name", sort="unit__path", width=24),
    ))
