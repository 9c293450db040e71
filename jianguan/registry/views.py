"""Registry workbench: entity search, the entity page with its licences and history, registration, changes,
status changes, licences and the expiring-permits list. Reads through ``selectors``, writes through ``services``."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from jianguan.core import audit, lists
from jianguan.core.errors import DomainError, ValidationFailed
from jianguan.core.rules import rule

from . import panels, selectors, services
from .forms import (
    EntityChangeForm,
    EntityRegisterForm,
    EntitySearchForm,
    EntityStatusForm,
    LicenceForm,
    LicenceStatusForm,
)
from .masking import MASKERS, can_see_personal, personal_value
from .models import Entity, EntityKind, EntityStatus, Licence, LicenceKind, LicenceStatus

view_entity = permission_required("registry.view_entity", raise_exception=True)
register_entity = permission_required("registry.register_entity", raise_exception=True)


def _form_errors_from(form, exc: DomainError) -> None:
    """Put a service's refusal on the form: on each named field when there is one, else on the form."""
    details = exc.details or ([{"field": exc.field, "message": exc.message}] if exc.field else [])
    placed = False
    for item in details:
        name = item.get("field")
        if name in form.fields:
            form.add_error(name, item.get("message") or exc.message)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


# --- Search --------------------------------------------------------------------------------------------------------


@login_required
@view_entity
def entity_list(request):
    """Search by code, or by a fragment of one chosen column; filters; sorting on the code, the name or the date of
    establishment; keyset pages of 50 (fast at any depth of a 400,000-row register)."""
    form = EntitySearchForm(request.GET or None, user=request.user)
    filters = form.filters()
    data = form.valid_data()
    sort = data.get("sort") or ""
    raw_sort = request.GET.get("sort", "")
    sort_problem = (f"不能按「{raw_sort[:30]}」排序（可排序的列：统一社会信用代码、名称、成立日期），已按登记顺序显示"
                    if raw_sort and raw_sort not in selectors.ENTITY_SORTS else "")
    unit_ids = selectors.unit_and_subunits(request.user, filters.get("unit", ""))
    qs = selectors.entity_search(request.user, **filters, unit_ids=unit_ids).select_related("unit")
    page = selectors.keyset_page(qs, after=data.get("after"), before=data.get("before"), sort=sort,
                                 units=selectors.search_units(request.user, unit_ids),
                                 searched=bool(filters["q"]) and not selectors.looks_like_code(filters["q"]))
    total, approximate = None, False
    if page.is_first and page.next_after is None:
        total = len(page.items)  # the whole result is on this page: the exact count is free
    elif not filters["q"]:
        total, approximate = selectors.estimated_count(qs), True
    return render(
        request,
        "registry/entity_list.html",
        {
            "form": form,
            "page": page,
            "total": total,
            "approximate": approximate,
            "searched": any(filters[k] for k in ("q", "unit", "status", "kind", "industry")),
            "code_search": bool(filters["q"]) and selectors.looks_like_code(filters["q"]),
            "export_query": _export_query(request),
            "sort": sort,
            "sort_problem": sort_problem,
            "headers": _sort_headers(sort),
        },
    )


#: The entity list's columns: (label, sort key or None).
ENTITY_COLUMNS = (("统一社会信用代码", "uscc"), ("名称", "name"), ("类型", None), ("法定代表人/经营者", None),
                  ("监管单位", None), ("状态", None), ("成立日期", "established_on"))


def _sort_headers(sort: str) -> list[dict]:
    """Each column's header: the ``sort`` a click asks for (first ascending, then reversed) and its state."""
    out = []
    for label, key in ENTITY_COLUMNS:
        active = bool(key) and sort.lstrip("-") == key
        descending = active and sort.startswith("-")
        nxt = (key if descending else f"-{key}") if active else key
        out.append({"label": label, "key": key, "active": active, "descending": descending, "next": nxt})
    return out


def _export_query(request) -> str:
    """The search's query string without its page position (an export is the whole result)."""
    params = request.GET.copy()
    for key in ("after", "before", "format"):  # the sort stays: the file is in the order shown
        params.pop(key, None)
    return params.urlencode()


# --- The entity page ----------------------------------------------------------------------------------------------


def _history_rows(user, changes) -> list[dict]:
    labels = selectors.history_labels(changes)

    def show(name, value):
        if value in (None, ""):
            return "—"
        if name in labels:
            return labels[name].get(value, value)
        if name == "status" and value in EntityStatus.values:
            return EntityStatus(value).label
        if name == "kind" and value in EntityKind.values:
            return EntityKind(value).label
        if name in MASKERS:
            return personal_value(user, name, value)
        return value

    rows = []
    for change in changes:
        items = []
        for name, pair in (change.changes or {}).items():
            before, after = pair if isinstance(pair, list) and len(pair) == 2 else (None, pair)
            try:
                label = Entity._meta.get_field(name).verbose_name
            except Exception:  # a field since removed from the model: show its stored name
                label = name
            items.append({"label": label, "before": show(name, before), "after": show(name, after)})
        rows.append({"change": change, "items": items})
    return rows


def _licence_rows(licences, today: dt.date) -> list[dict]:
    return [
        {
            "licence": lic,
            "days_left": (lic.valid_until - today).days if lic.valid_until else None,
            "status_form": LicenceStatusForm(initial={"status": lic.status}, prefix=f"lic{lic.pk}"),
        }
        for lic in licences
    ]


@login_required
@view_entity
def entity_detail(request, uscc: str):
    """All registration fields, the business licence with every permit beneath it, and the history."""
    entity = selectors.entity_for(request.user, uscc)
    today = timezone.localdate()
    changes = selectors.entity_history(entity)
    user = request.user
    if can_see_personal(user) and (entity.legal_rep_id_no or entity.phone):
        audit.record_personal_read(actor=user, obj=entity, fields=["legal_rep_id_no", "phone"], unit=entity.unit_id)
    return render(
        request,
        "registry/entity_detail.html",
        {
            "entity": entity,
            "id_no": personal_value(user, "legal_rep_id_no", entity.legal_rep_id_no),
            "phone": personal_value(user, "phone", entity.phone),
            "personal_masked": not can_see_personal(user),
            "licences": _licence_rows(selectors.entity_licences(entity), today),
            "history": _history_rows(user, changes),
            "warning_days": rule("registry.licence_expiry_warning_days", on=today),
            "can_register": user.has_perm("registry.register_entity"),
            "can_add_licence": user.has_perm("registry.add_licence"),
            "can_change_licence": user.has_perm("registry.change_licence"),
            "is_active": entity.status == EntityStatus.ACTIVE,
            "panels": panels.rendered(request, entity),
        },
    )


# --- Registration and changes -------------------------------------------------------------------------------------


@login_required
@register_entity
def entity_register(request):
    """设立登记 by staff: the service checks the rules and issues a new valid code."""
    form = EntityRegisterForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            entity = services.entity_register(
                actor=request.user,
                name=data["name"],
                kind=data["kind"],
                legal_rep=data["legal_rep"],
                legal_rep_id_no=data["legal_rep_id_no"],
                phone=data["phone"],
                registered_capital=data["registered_capital"],
                established_on=data["established_on"],
                address=data["address"],
                division_id=data["division"].code,
                unit=data["unit"],
                industry_id=data["industry"].code,
                business_scope=data["business_scope"],
            )
        except DomainError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, f"已办理设立登记：{entity.name}，统一社会信用代码 {entity.uscc}。")
            return redirect("registry:entity_detail", uscc=entity.uscc)
    return render(request, "registry/entity_form.html", {"form": form, "title": "设立登记"})


@login_required
@register_entity
def entity_change(request, uscc: str):
    """变更登记 of the changeable fields; only the fields actually changed are passed on."""
    entity = selectors.entity_for(request.user, uscc)
    form = EntityChangeForm(request.POST or None, user=request.user, entity=entity)
    status = 200
    if request.method == "POST" and form.is_valid():
        fields = form.changes()
        if not fields:
            messages.info(request, "没有变更任何登记事项。")
            return redirect("registry:entity_detail", uscc=entity.uscc)
        try:
            services.entity_change(
                actor=request.user, entity=entity, on=form.cleaned_data["on"], note=form.cleaned_data["note"], **fields
            )
        except DomainError as exc:
            _form_errors_from(form, exc)
            status = exc.status
        else:
            messages.success(request, f"已办理变更登记（{len(fields)} 项）。")
            if selectors.entities_for(request.user).filter(pk=entity.pk).exists():
                return redirect("registry:entity_detail", uscc=entity.uscc)
            return redirect("registry:entity_list")  # moved to a unit outside the user's scope
    return render(
        request, "registry/entity_form.html", {"form": form, "entity": entity, "title": "变更登记"}, status=status
    )


@login_required
@register_entity
def entity_status(request, uscc: str):
    """吊销、注销、撤销、迁出. A transition the state machine refuses is shown with status 409."""
    entity = selectors.entity_for(request.user, uscc)
    form = EntityStatusForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.entity_set_status(
                actor=request.user, entity=entity, status=data["status"], on=data["on"], reason=data["reason"]
            )
        except ValidationFailed as exc:
            _form_errors_from(form, exc)
            status = 422
        except DomainError as exc:
            messages.error(request, exc.message)
            status = exc.status
        else:
            messages.success(request, f"登记状态已变更为「{EntityStatus(data['status']).label}」。")
            return redirect("registry:entity_detail", uscc=entity.uscc)
    return render(request, "registry/entity_status.html", {"form": form, "entity": entity}, status=status)


# --- Licences -----------------------------------------------------------------------------------------------------


def _default_valid_until(kind, issued_on: dt.date) -> dt.date | None:
    """Issued on + the kind's validity in years − 1 day (a 5-year licence issued 2026-03-01 runs to 2031-02-28)."""
    if not kind.validity_years:
        return None
    try:
        end = issued_on.replace(year=issued_on.year + kind.validity_years)
    except ValueError:  # 29 February
        end = issued_on.replace(year=issued_on.year + kind.validity_years, day=28)
    return end - dt.timedelta(days=1)


@login_required
@permission_required("registry.add_licence", raise_exception=True)
def licence_add(request, uscc: str):
    entity = selectors.entity_for(request.user, uscc)
    form = LicenceForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        valid_until = data["valid_until"] or _default_valid_until(data["kind"], data["issued_on"])
        try:
            licence = services.licence_add(
                actor=request.user,
                entity=entity,
                kind=data["kind"],
                number=data["number"],
                issuer=data["issuer"],
                issued_on=data["issued_on"],
                valid_until=valid_until,
                scope=data["scope"],
            )
        except DomainError as exc:
            _form_errors_from(form, exc)
        else:
            messages.success(request, f"已添加{licence.kind.name} {licence.number}。")
            return redirect("registry:entity_detail", uscc=entity.uscc)
    return render(request, "registry/licence_form.html", {"form": form, "entity": entity})


@login_required
@permission_required("registry.change_licence", raise_exception=True)
@require_POST
def licence_status(request, uscc: str, pk: int):
    entity = selectors.entity_for(request.user, uscc)
    licence = selectors.licence_for(request.user, entity, pk)
    form = LicenceStatusForm(request.POST, prefix=f"lic{licence.pk}")
    if form.is_valid():
        try:
            services.licence_set_status(
                actor=request.user,
                licence=licence,
                status=form.cleaned_data["status"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"{licence.kind.name} {licence.number} 状态已更新。")
    else:
        messages.error(request, "请选择有效的许可证状态。")
    return redirect("registry:entity_detail", uscc=entity.uscc)


@login_required
@permission_required("registry.view_licence", raise_exception=True)
def licences_expiring(request):
    """Valid permits in scope expiring within the rule's days, overdue first: the total, sorting, filters (kind,
    overdue only, a number or entity fragment) and the Excel export of exactly that list."""
    today = timezone.localdate()
    days = int(rule("registry.licence_expiry_warning_days", on=today))
    qs = selectors.licences_expiring(request.user, on=today, within_days=days)
    kind, q, overdue = request.GET.get("kind", ""), request.GET.get("q", "").strip()[:50], request.GET.get("overdue") == "1"
    if kind:
        qs = qs.filter(kind_id=kind)
    if q:
        qs = qs.filter(Q(number__contains=q) | Q(entity__name__contains=q) | Q(entity__uscc=q.upper()))
    if overdue:
        qs = qs.filter(valid_until__lt=today)
    if lists.wants_export(request):
        return lists.export(request, selectors.EXPIRING, qs, filters={"kind": kind, "q": q, "overdue": overdue})
    listing = lists.show(request, selectors.EXPIRING, qs)
    rows = [{"licence": lic, "days_left": lic.days_left} for lic in listing.rows]
    # the kinds on issue (any valid permit): one probe per kind; "the kinds among the expiring ones in scope" read
    # every expiring permit of the scope first (99 ms of the page on a district at 2,000,000 entities, #23)
    kinds = LicenceKind.objects.filter(Exists(Licence.objects.filter(kind_id=OuterRef("code"),
                                                                     status=LicenceStatus.VALID)))
    return render(
        request,
        "registry/licences_expiring.html",
        {"listing": listing, "rows": rows, "days": days, "today": today, "until": today + dt.timedelta(days=days),
         "kinds": kinds.order_by("sort", "code"), "f": {"kind": kind, "q": q, "overdue": overdue},
         "export_allowed": request.user.has_perm(selectors.EXPIRING.export_permission)},
    )
