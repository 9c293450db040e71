"""API of special equipment. ``router`` (staff: token or session) at /api/v1/equipment/: the register, a device,
registration, inspection records, the due lists and the hand-over of an overdue device to enforcement — the same
services as the workbench. ``public_router`` at /api/v1/public/equipment/: the lift status by address."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Query, Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core.scope import scope_filter
from jianguan.registry.models import Entity

from . import categories, selectors, services

router = Router(tags=["equipment"], auth=staff_auth)
public_router = Router(tags=["equipment-public"])


def _need(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied("无权执行此操作")


class DeviceRow(Schema):
    id: int
    code: str
    category: str
    category_label: str
    entity_name: str
    entity_uscc: str
    location: str
    status: str
    next_due: dt.date | None
    next_kind: str
    apply_by: dt.date | None


class DevicePage(Schema):
    items: list[DeviceRow]
    total: int


class InspectionOut(Schema):
    kind: str
    inspected_on: dt.date
    body: str
    report_no: str
    conclusion: str
    next_due: dt.date | None


class DeviceOut(DeviceRow):
    name: str
    registration_no: str
    registered_on: dt.date | None
    commissioned_on: dt.date
    manufacturer: str
    installer: str
    maintainer: str
    params: dict
    schedule_basis: str
    inspections: list[InspectionOut]


class DeviceIn(Schema):
    code: str
    category: str
    entity_uscc: str
    location: str
    commissioned_on: dt.date
    name: str = ""
    registration_no: str = ""
    registered_on: dt.date | None = None
    manufacturer: str = ""
    installer: str = ""
    maintainer: str = ""
    params: dict = {}


class InspectionIn(Schema):
    kind: str
    inspected_on: dt.date
    body: str
    conclusion: str
    report_no: str = ""
    note: str = ""


class ActionOut(Schema):
    kind: str
    reference: str
    lead_id: int | None
    due: dt.date


class Filters(Schema):
    q: str = ""
    category: str = ""
    status: str = ""
    due: str = ""
    offset: int = 0
    limit: int = 50


def _row(r: dict) -> dict:
    return {"id": r["id"], "code": r["code"], "category": r["category"],
            "category_label": categories.label(r["category"]), "entity_name": r["entity__name"],
            "entity_uscc": r["entity__uscc"], "location": r["location"], "status": r["status"],
            "next_due": r["next_due"], "next_kind": r["next_kind"], "apply_by": r["apply_by"]}


@router.get("/devices", response=DevicePage, summary="特种设备列表（数据范围内；due=overdue/soon/apply 筛选到期情况）")
def list_devices(request: HttpRequest, filters: Query[Filters]):
    _need(request.auth, "equipment.view_device")
    f = selectors.Filters(q=filters.q, category=filters.category, status=filters.status, due=filters.due)
    qs = selectors.search(request.auth, f).order_by("next_due" if filters.due else "code", "id")
    limit = max(1, min(filters.limit, 500))
    rows = list(qs.values(*selectors.LIST_FIELDS)[max(filters.offset, 0):max(filters.offset, 0) + limit])
    return {"items": [_row(r) for r in rows], "total": qs.count()}


def _detail(device) -> dict:
    row = _row({**{k: getattr(device, k) for k in ("id", "code", "category", "location", "status", "next_due",
                                                    "next_kind", "apply_by")},
                "entity__name": device.entity.name, "entity__uscc": device.entity.uscc})
    row.update({k: getattr(device, k) for k in ("name", "registration_no", "registered_on", "commissioned_on",
                                                 "manufacturer", "installer", "maintainer", "params",
                                                 "schedule_basis")})
    row["inspections"] = [{"kind": i.kind, "inspected_on": i.inspected_on, "body": i.body, "report_no": i.report_no,
                           "conclusion": i.conclusion, "next_due": i.next_due}
                          for i in selectors.inspections_of(device)]
    return row


@router.get("/devices/{device_id}", response=DeviceOut, summary="一台设备及其检验记录")
def get_device(request: HttpRequest, device_id: int):
    _need(request.auth, "equipment.view_device")
    return _detail(selectors.device_for(request.auth, device_id))


@router.post("/devices", response={201: DeviceOut}, summary="使用登记（登记一台设备）")
def register_device(request: HttpRequest, payload: DeviceIn):
    _need(request.auth, "equipment.manage_device")
    data = payload.dict()
    uscc = data.pop("entity_uscc").strip().upper()
    entity = scope_filter(Entity.objects.all(), request.auth).filter(uscc=uscc).first()
    if entity is None:
        from jianguan.core.errors import ValidationFailed

        raise ValidationFailed("使用单位不是您管辖范围内已登记的市场主体",
                               details=[{"field": "entity_uscc", "message": f"统一社会信用代码 {uscc} 未找到"}])
    device = services.device_register(actor=request.auth, entity=entity, **data)
    return 201, _detail(device)


@router.post("/devices/{device_id}/inspections", response={201: DeviceOut}, summary="登记检验记录（重新计算下次检验日期）")
def add_inspection(request: HttpRequest, device_id: int, payload: InspectionIn):
    _need(request.auth, "equipment.manage_device")
    device = selectors.device_for(request.auth, device_id)
    services.inspection_record(actor=request.auth, device=device, **payload.dict())
    return 201, _detail(selectors.device_for(request.auth, device_id))


@router.post("/devices/{device_id}/overdue-lead", response=ActionOut, summary="超期未检设备移送执法线索（重复提交返回同一线索）")
def overdue_lead(request: HttpRequest, device_id: int):
    _need(request.auth, "equipment.act_on_overdue")
    action = services.overdue_act(actor=request.auth, device=selectors.device_for(request.auth, device_id))
    return {"kind": action.kind, "reference": action.reference, "lead_id": action.lead_id, "due": action.due}


class LiftOut(Schema):
    code: str
    category_label: str
    location: str
    registration_no: str
    using_unit: str
    maintainer: str
    last_inspected_on: dt.date | None
    next_due: dt.date | None
    status: str
    valid: bool


@public_router.get("/lifts", response=list[LiftOut], auth=None, summary="电梯检验状态（按地址，至少 4 个字）")
def public_lifts(request: HttpRequest, address: str):
    return [{**r, "using_unit": r["entity__name"]} for r in selectors.public_lifts(address)]
