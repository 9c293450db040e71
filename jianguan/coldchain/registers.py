"""The two registers of cold-chain tracing (core.registers): batches and movements — list, entry form, Excel
import (all or nothing, errors by row and column), export and the staff API."""

from __future__ import annotations

from django.urls import reverse

from jianguan.core.registers import Column, Register

from . import selectors, services
from .models import Batch, Direction, Movement

VIEW = "coldchain.view_batch"
MANAGE = "coldchain.manage_batch"
ENTITY_NOTE = "18 位统一社会信用代码，须已在市场主体名录中"

BATCHES = Register(
    key="batches", title="进口冷链食品批次", model=Batch,
    description="入境首站登记批次和“四证”（报关单、检验检疫证明、核酸检测报告、消毒证明），缺证不得入库；"
                "登记后首站自动入库。",
    columns=(Column("tracing_code", "追溯码", max_length=40),
             Column("product", "品名", max_length=100),
             Column("origin_country", "原产国（地区）", max_length=40),
             Column("quantity", "数量", "decimal"),
             Column("measure", "计量单位", required=False, max_length=8, note="默认 kg"),
             Column("importer", "进口商/首站统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("customs_declaration", "报关单号", max_length=40, in_list=False),
             Column("quarantine_certificate", "检验检疫证明编号", max_length=40, in_list=False),
             Column("nucleic_acid_report", "核酸检测报告编号", max_length=40, in_list=False),
             Column("disinfection_certificate", "消毒证明编号", max_length=40, in_list=False),
             Column("entered_on", "入境日期", "date")),
    create=services.batch_register, queryset=selectors.batches_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("tracing_code", "product", "importer__name"), link=lambda r: reverse("coldchain:batch", args=[r.pk]),
    # quantity, importer and entry date are the first-station movement too; a wrong one: withdraw and register again
    correctable=("tracing_code", "product", "origin_country", "measure", "customs_declaration",
                 "quarantine_certificate", "nucleic_acid_report", "disinfection_certificate"),
    extra=(("进口商", lambda r: r.importer.name), ("状态", lambda r: r.get_status_display())),
    example=("CC2026120400001", "冷冻去骨牛肉", "巴西", "24000", "kg", "91410400MA44XXXX0X", "220120261000012345",
             "4100002026120401", "HS2026120400017", "XD2026120400017", "2026-12-01"),
)

MOVEMENTS = Register(
    key="movements", title="出入库记录", model=Movement,
    description="冷库、批发、零售、餐饮各环节的入库和出库。出库须该单位已入库且不超过现有数量；追溯处置中的批次已封存。",
    columns=(Column("batch", "追溯码", "ref", parse=services.batch_by_code, show=lambda r: r.batch.tracing_code),
             Column("holder", "持有单位统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("direction", "方向", "choice", choices=tuple(Direction.choices)),
             Column("quantity", "数量", "decimal"),
             Column("moved_on", "日期", "date"),
             Column("counterparty", "来源/去向单位统一社会信用代码", "entity", required=False,
                    note="入库填来源单位，出库填去向单位"),
             Column("note", "备注", required=False, in_list=False)),
    create=services.movement_record, queryset=selectors.movements_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("batch__tracing_code", "holder__name"),
    extra=(("持有单位", lambda r: r.holder.name),
           ("来源/去向", lambda r: r.counterparty.name if r.counterparty_id else "")),
)

REGISTERS = (BATCHES, MOVEMENTS)
