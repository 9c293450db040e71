"""Staff API of the registry: entity search (keyset cursor) and entity detail with licences and history.

Same selectors as the workbench, so the same scope: an entity outside the caller's scope is a 404 and never
appears in a search. Personal data (ID number, phone) is masked unless the caller may see it.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal
from typing import Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from jianguan.api.auth import staff_auth
from jianguan.core import audit
from jianguan.core.errors import ValidationFailed

from . import selectors
from .masking import MASKERS, can_see_personal, personal_value
from .models import Entity, EntityKind, EntityStatus

router = Router(tags=["registry"], auth=staff_auth)

MAX_LIMIT = 200
_CURSOR_PREFIX = "e1:"


def encode_cursor(after_id: int) -> str:
    """An opaque cursor for "the rows after id ``after_id``". Opaque so that the ordering can change later."""
    return base64.urlsafe_b64encode(f"{_CURSOR_PREFIX}{after_id}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not raw.startswith(_CURSOR_PREFIX):
            raise ValueError(raw)
        value = int(raw[len(_CURSOR_PREFIX) :])
        if value < 0:
            raise ValueError(raw)
        return value
    except (ValueError, UnicodeDecodeError, binascii.Error):
        raise ValidationFailed("分页游标无效：请使用上一页响应中的 next 原样传回", field="after") from None


def _require(user, permission: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied("无权查询市场主体")


class EntitySearchIn(Schema):
    q: str = Field("", max_length=100, description="18 位统一社会信用代码（精确），或 field 所指字段的片段")
    field: Literal["name", "legal_rep", "address"] = Field(
        "name", description="q 的搜索范围：name 名称片段、legal_rep 法定代表人（姓名开头）、address 住所片段"
    )
    unit: str = Field("", description="监管单位代码（含下属单位），须在数据范围内")
    status: EntityStatus | None = None
    kind: EntityKind | None = None
    industry: str = Field("", description="国民经济行业门类字母（含其各大类）或大类代码")
    after: str | None = Field(None, description="上一页响应的 next")
    limit: int = Field(50, ge=1, le=MAX_LIMIT)


class EntityItemOut(Schema):
    uscc: str
    uscc_problem: str | None = Field(description="存量代码未通过校验的原因；为空表示无问题")
    name: str
    kind: EntityKind
    kind_label: str
    legal_rep: str
    unit_code: str
    unit_name: str
    status: EntityStatus
    status_label: str
    established_on: dt.date


class EntityPageOut(Schema):
    items: list[EntityItemOut]
    next: str | None = Field(description="下一页游标；null 表示没有更多")


class LicenceOut(Schema):
    kind: str
    kind_name: str
    number: str
    issuer: str
    issued_on: dt.date
    valid_until: dt.date | None
    scope: str
    status: str
    status_label: str
    days_to_expiry: int | None


class ChangeOut(Schema):
    kind: str
    kind_label: str
    on: dt.date
    changes: dict[str, list] = Field(description="{字段: [变更前, 变更后]}；外键为代码/编号")
    note: str
    actor: str | None
    at: dt.datetime


class EntityDetailOut(EntityItemOut):
    legal_rep_id_no: str
    phone: str
    personal_data_masked: bool = Field(description="证件号码、联系电话是否已脱敏（无个人信息查看权限）")
    registered_capital: Decimal | None = Field(description="注册资本（万元）")
    address: str
    division_code: str
    division_name: str
    industry_code: str
    industry_name: str
    business_scope: str
    registration_authority_code: str
    registration_authority_name: str
    status_changed_on: dt.date | None
    licences: list[LicenceOut]
    history: list[ChangeOut]


def _item(entity: Entity) -> dict:
    return {
        "uscc": entity.uscc,
        "uscc_problem": entity.uscc_problem or None,
        "name": entity.name,
        "kind": entity.kind,
        "kind_label": entity.get_kind_display(),
        "legal_rep": entity.legal_rep,
        "unit_code": entity.unit.code,
        "unit_name": entity.unit.name,
        "status": entity.status,
        "status_label": entity.get_status_display(),
        "established_on": entity.established_on,
    }


@router.get("/entities", response=EntityPageOut, summary="市场主体查询（游标分页，仅数据范围内）")
def entity_search(request: HttpRequest, filters: Query[EntitySearchIn]):
    user = request.auth
    _require(user, "registry.view_entity")
    qs = selectors.entity_search(
        user,
        q=filters.q,
        field=filters.field,
        unit=filters.unit,
        status=filters.status.value if filters.status else "",
        kind=filters.kind.value if filters.kind else "",
        industry=filters.industry,
    ).select_related("unit")
    after = decode_cursor(filters.after) if filters.after else None
    page = selectors.keyset_page(qs, after=after, size=filters.limit,
                                 searched=bool(filters.q) and not selectors.looks_like_code(filters.q))
    return {
        "items": [_item(e) for e in page.items],
        "next": encode_cursor(page.next_after) if page.next_after is not None else None,
    }


@router.get("/entities/{uscc}", response=EntityDetailOut, summary="市场主体详情（含许可证和登记历史）")
def entity_detail(request: HttpRequest, uscc: str):
    user = request.auth
    _require(user, "registry.view_entity")
    entity = selectors.entity_for(user, uscc)
    today = timezone.localdate()
    masked = not can_see_personal(user)
    if not masked and (entity.legal_rep_id_no or entity.phone):
        audit.record_personal_read(actor=user, obj=entity, fields=["legal_rep_id_no", "phone"], unit=entity.unit_id)

    def history_changes(changes: dict) -> dict:
        return {
            name: [personal_value(user, name, v) if name in MASKERS else v for v in pair]
            if isinstance(pair, list)
            else pair
            for name, pair in (changes or {}).items()
        }

    return {
        **_item(entity),
        "legal_rep_id_no": personal_value(user, "legal_rep_id_no", entity.legal_rep_id_no),
        "phone": personal_value(user, "phone", entity.phone),
        "personal_data_masked": masked,
        "registered_capital": entity.registered_capital,
        "address": entity.address,
        "division_code": entity.division_id,
        "division_name": entity.division.name,
        "industry_code": entity.industry_id,
        "industry_name": entity.industry.name,
        "business_scope": entity.business_scope,
        "registration_authority_code": entity.registration_authority.code,
        "registration_authority_name": entity.registration_authority.name,
        "status_changed_on": entity.status_changed_on,
        "licences": [
            {
                "kind": lic.kind_id,
                "kind_name": lic.kind.name,
                "number": lic.number,
                "issuer": lic.issuer,
                "issued_on": lic.issued_on,
                "valid_until": lic.valid_until,
                "scope": lic.scope,
                "status": lic.status,
                "status_label": lic.get_status_display(),
                "days_to_expiry": (lic.valid_until - today).days if lic.valid_until else None,
            }
            for lic in selectors.entity_licences(entity)
        ],
        "history": [
            {
                "kind": c.kind,
                "kind_label": c.get_kind_display(),
                "on": c.on,
                "changes": history_changes(c.changes),
                "note": c.note,
                "actor": c.actor.get_username() if c.actor else None,
                "at": c.at,
            }
            for c in selectors.entity_history(entity)
        ],
    }
