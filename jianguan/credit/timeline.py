"""The credit record (信用档案): one timeline per entity of every credit event from every module.

Each module registers a provider — ``fn(entity, viewer) -> iterable of Event`` — for the events it owns
(registration, reports, lists, licences; later penalties, inspection results, complaints)::

    from jianguan.credit.timeline import Event, register

    @register
    def penalties(entity, viewer):
        for p in entity.penalties.all():
            yield Event(on=p.decided_on, category="行政处罚", title=p.decision_no, public=p.is_published)

A provider yields everything; ``events_for`` keeps what the viewer may see: staff (who have already passed the
scope check for the entity) see every event, anyone else only events marked ``public``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

PROVIDERS: list[Callable] = []


@dataclass(frozen=True)
class Event:
    on: dt.date
    category: str
    title: str
    detail: str = ""
    public: bool = True
    source: str = ""
    level: str = "info"  # info / warning / danger / success: how the timeline colours it
    #: the published record the event is about, as ("app_label.model", object id) — set where the entity may reply
    #: to it (回应): the portal shows the reply beside the event
    ref: tuple[str, str] | None = None


def register(provider: Callable) -> Callable:
    if provider not in PROVIDERS:
        PROVIDERS.append(provider)
    return provider


def rows(entity, relation: str, to_attr: str) -> list:
    """The rows of ``entity.<relation>`` a provider reads: the list a batch loaded into ``to_attr`` (a provider's
    ``prefetch = [Prefetch(relation, queryset, to_attr=to_attr)]``, as the portal's bulk rebuild does), else the
    relation read now."""
    loaded = getattr(entity, to_attr, None)
    return loaded if loaded is not None else list(getattr(entity, relation).all())


def is_staff_viewer(viewer) -> bool:
    return bool(viewer is not None and getattr(viewer, "is_authenticated", False)
                and viewer.has_perm("core.access_workbench"))


def events_for(entity, viewer) -> list[Event]:
    """Every event of ``entity`` the ``viewer`` may see, newest first."""
    staff = is_staff_viewer(viewer)
    events: list[Event] = []
    for provider in PROVIDERS:
        for event in provider(entity, viewer) or ():
            if staff or event.public:
                events.append(event)
    return sorted(events, key=lambda e: e.on, reverse=True)


# --- providers for the data that exists now -----------------------------------------------------------------------

STATUS_LABELS = {"active": "存续", "revoked": "吊销", "deregistered": "注销", "cancelled": "撤销", "moved_out": "迁出"}


@register
def registration(entity, viewer) -> Iterable[Event]:
    from jianguan.registry.models import EntityChange

    for change in entity.changes.all():
        if change.kind == EntityChange.Kind.STATUS:
            before, after = (change.changes.get("status") or [None, None])[:2]
            title = f"登记状态：{STATUS_LABELS.get(before, before)} → {STATUS_LABELS.get(after, after)}"
            yield Event(change.on, "登记", title, change.note, True, "registry",
                        "danger" if after in ("revoked", "cancelled") else "info")
        elif change.kind == EntityChange.Kind.CHANGED:
            fields = "、".join(sorted(change.changes))
            yield Event(change.on, "登记", "变更登记", f"变更事项：{fields}", True, "registry")
        else:
            yield Event(change.on, "登记", change.get_kind_display(), change.note, True, "registry")


@register
def licences(entity, viewer) -> Iterable[Event]:
    for lic in entity.licences.select_related("kind"):
        yield Event(lic.issued_on, "许可", f"取得{lic.kind.name}", f"{lic.number}（{lic.get_status_display()}）",
                    lic.status != "withdrawn", "registry")  # a withdrawn register row's licence: staff only


@register
def annual_reports(entity, viewer) -> Iterable[Event]:
    for rep in entity.annual_reports.all():
        if rep.version == 1:
            title = f"报送{rep.year}年度报告" + ("（逾期补报）" if rep.late else "")
        else:
            title = f"更正{rep.year}年度报告（第{rep.version}版）"
        yield Event(rep.filed_on, "年度报告", title, "财务数据全为零" if rep.financials_all_zero else "",
                    True, "credit", "warning" if rep.late else "success")


@register
def instant_information(entity, viewer) -> Iterable[Event]:
    for info in entity.instant_infos.all():
        if info.published_on:
            yield Event(info.published_on, "即时信息", f"公示即时信息：{info.get_kind_display()}", "", True, "credit")
        if info.ordered_on:
            yield Event(info.ordered_on, "即时信息", f"被责令限期公示：{info.get_kind_display()}",
                        f"期限至 {info.order_due_on:%Y-%m-%d}", False, "credit", "warning")


@register
def list_entries(entity, viewer) -> Iterable[Event]:
    for entry in entity.list_entries.select_related("deciding_unit"):
        name = entry.get_list_kind_display()
        if entry.proposed_on:
            yield Event(entry.proposed_on, "名录", f"拟列入{name}", entry.get_ground_display(), False, "credit",
                        "warning")
        if entry.listed_on:
            yield Event(entry.listed_on, "名录", f"列入{name}",
                        f"{entry.get_ground_display()}（{entry.decision_no}，{entry.deciding_unit.name}）",
                        True, "credit", "danger")
        if entry.removed_on:
            yield Event(entry.removed_on, "名录", f"移出{name}",
                        f"{entry.removal_reason}（{entry.removal_no}）".replace("（）", ""), True, "credit", "success")


@register
def repairs(entity, viewer) -> Iterable[Event]:
    for app in entity.repairs.all():
        yield Event(app.applied_on, "信用修复", f"申请信用修复：{app.get_kind_display()}", "", False, "credit")
        if app.decided_on:
            yield Event(app.decided_on, "信用修复", f"信用修复决定：{app.get_status_display()}",
                        f"{app.decision_no} {app.decision_reason}".strip(), app.status == "approved", "credit",
                        "success" if app.status == "approved" else "info")


@register
def risk_classes(entity, viewer) -> Iterable[Event]:
    for h in entity.risk_history.all():
        from .risk import reasons_text

        yield Event(h.classified_on, "风险分类", f"信用风险分类：{h.previous_class or '—'} → {h.risk_class}",
                    reasons_text(h.risk_class, h.reasons), False, "credit",
                    "danger" if h.risk_class == "D" else "info")
