"""The registers of price monitoring (core.registers): monitored outlets and price reports — list, entry form,
all-or-nothing Excel import (a price in the wrong unit refuses the whole file, naming row and column), export and the
staff API."""

from __future__ import annotations

from jianguan.core.registers import Column, Register

from . import selectors, services
from .models import Outlet, OutletKind, PriceReport

VIEW = "prices.view_outlet"
MANAGE = "prices.manage_outlet"

OUTLETS = Register(
    key="outlets", title="价格监测点", model=Outlet,
    description="定点报送价格的超市、农贸市场、药店；监测点可在公众门户用企业账号自行报送。",
    columns=(Column("entity", "统一社会信用代码", "entity", note="18 位统一社会信用代码，须已在市场主体名录中"),
             Column("kind", "类型", "choice", choices=tuple(OutletKind.choices))),
    create=services.outlet_register, queryset=selectors.outlets_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("entity__name", "entity__uscc"), extra=(("名称", lambda r: r.entity.name),),
    correctable=("kind",),
    example=("91410400MA44XXXX0X", "超市"),
)

REPORTS = Register(
    key="reports", title="价格报送", model=PriceReport,
    description="每个监测点每种商品每天一条；价格须按商品规定的计价单位报送（单位不符整份文件不导入）。"
                "报送后即按规则 prices.rise_limits 检查涨幅，超过的生成价格异常预警并移送执法线索。",
    columns=(Column("outlet", "监测点统一社会信用代码", "ref", parse=services.outlet_by_code,
                    show=lambda r: r.outlet.entity.uscc),
             Column("goods", "商品代码或名称", "ref", parse=services.goods_by_text, show=lambda r: r.goods.code),
             Column("price", "价格（元）", "decimal"),
             Column("price_unit", "计价单位", max_length=20, note="须与商品的计价单位一致，如 元/500克"),
             Column("reported_on", "价格日期", "date")),
    create=services.report_submit, queryset=selectors.reports_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("outlet__entity__name", "goods__name", "goods__code"),
    correctable=("price",), update=services.report_correct,
    extra=(("监测点", lambda r: r.outlet.entity.name), ("商品", lambda r: r.goods.name),
           ("来源", lambda r: r.get_source_display())),
    example=("91410400MA44XXXX0X", "LS01", "2.95", "元/500克", "2026-12-04"),
)

REGISTERS = (OUTLETS, REPORTS)
