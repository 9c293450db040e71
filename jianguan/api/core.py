"""Core endpoints: who am I, the org units I may see."""

from __future__ import annotations

from django.http import HttpRequest
from ninja import Router, Schema

from jianguan.core.models import OrgUnit
from jianguan.core.roles import role_codes
from jianguan.core.scope import get_in_scope_or_404, scoped_units

from .auth import staff_auth

router = Router(tags=["core"], auth=staff_auth)


class UnitOut(Schema):
    code: str
    name: str
    kind: str
    parent_code: str | None


class MeOut(Schema):
    username: str
    name: str
    staff_code: str | None
    unit: UnitOut | None
    roles: list[str]


def _unit(u) -> dict | None:
    if u is None:
        return None
    return {"code": u.code, "name": u.name, "kind": u.kind, "parent_code": u.parent.code if u.parent_id else None}


@router.get("/me", response=MeOut, summary="当前用户")
def me(request: HttpRequest):
    user = request.auth
    profile = getattr(user, "profile", None) if hasattr(user, "profile") else None
    return {
        "username": user.username,
        "name": user.get_full_name(),
        "staff_code": profile.staff_code if profile else None,
        "unit": _unit(profile.unit) if profile else None,
        "roles": role_codes(user),
    }


@router.get("/units", response=list[UnitOut], summary="我可见的组织机构")
def units(request: HttpRequest):
    return [_unit(u) for u in scoped_units(request.auth).select_related("parent").order_by("path")]


@router.get("/units/{code}", response=UnitOut, summary="组织机构详情（超出数据范围时为 404）")
def unit_detail(request: HttpRequest, code: str):
    return _unit(get_in_scope_or_404(OrgUnit.objects.select_related("parent"), request.auth, "id", code=code))
