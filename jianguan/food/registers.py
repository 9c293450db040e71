"""The register of Henan's 三小 registrations (core.registers): list, entry form, Excel import (all or nothing,
errors by row and column), export and the staff API. The number and the expiry are the bureau's, computed by
``services.small_register``; renewal and cancellation are on the registration's own page."""

from __future__ import annotations

from django.urls import reverse

from jianguan.core.registers import Column, Register

from . import selectors, services
from .models import SmallKind, SmallRegistration

VIEW = "food.view_smallregistration"
MANAGE = "food.manage_small"

SMALLS = Register(
    key="smalls", title="食品三小登记", model=SmallRegistration,
    description="县（区）市场监管局颁发的食品小作坊登记证、小经营店登记卡和小摊点登记卡（《河南省食品小作坊、"
                "小经营店和小摊点管理条例》）。登记编号和有效期由系统按登记机关、类别和年度生成。"
                "场所地址加密保存，按完整地址查询。",
    columns=(Column("kind", "登记类别", "choice", choices=tuple(SmallKind.choices)),
             Column("name", "名称（字号）", max_length=100),
             Column("operator", "经营者", max_length=50, in_list=False),
             Column("address", "生产经营场所/摊点位置", max_length=200),
             Column("category", "生产经营品种", max_length=200, in_list=False),
             Column("county", "登记机关", "ref", parse=services.county_by_code, show=lambda r: r.county.code,
                    note="县（区）市场监管局的代码或名称，如 410402"),
             Column("issued_on", "发证日期", "date"),
             Column("entity", "统一社会信用代码", "entity", required=False,
                    note="已办理营业执照的填写；小摊点可不填")),
    create=services.small_register, queryset=selectors.smalls_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("number", "name", "address"), link=lambda r: reverse("food:small", args=[r.pk]),
    # the number is made of the kind, the county and the year: a wrong one is withdrawn and registered again
    correctable=("name", "operator", "address", "category", "entity"),
    extra=(("登记编号", lambda r: r.number), ("有效期至", lambda r: f"{r.valid_until:%Y-%m-%d}"),
           ("状态", lambda r: r.get_status_display())),
    example=("小经营店登记卡", "老王烩面馆", "王某", "新华区中兴路 18 号", "热食类食品制售", "410402", "2026-12-01", ""),
)

REGISTERS = (SMALLS,)
