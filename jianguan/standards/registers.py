"""Standardization registers, described once for the workbench, Excel and the API (core.registers)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.core.registers import Column, Register

from . import selectors, services
from .models import EnterpriseStandard, Leader, LocalStandard, PilotField, PilotLevel, PilotProject, Role, StandardKind

VIEW = "standards.view_enterprisestandard"
MANAGE = "standards.manage_standards"
ENTITY_NOTE = "18 位统一社会信用代码，须已在市场主体名录中"

STANDARDS = Register(
    key="standards", title="企业执行和制定的标准", model=EnterpriseStandard,
    description="辖区企业执行（自我声明公开）和主导、参与制定的国家、行业、地方、团体、企业标准。标准编号按类别校验："
                "GB/GB/T 19001-2016、QB/T 1234-2010、DB41/T 1234-2016、T/CAS 115-2005、Q/PDSGL 001-2021。",
    columns=(Column("entity", "企业统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("kind", "标准类别", "choice", choices=tuple(StandardKind.choices)),
             Column("number", "标准编号", max_length=60),
             Column("title", "标准名称"),
             Column("role", "企业的作用", "choice", choices=tuple(Role.choices)),
             Column("declared_on", "自我声明公开/发布日期", "date")),
    create=services.standard_create, queryset=selectors.standards_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("number", "title", "entity__name"), extra=(("企业名称", lambda r: r.entity.name),),
)

LEADERS = Register(
    key="leaders", title="企业标准领跑者", model=Leader,
    description="企业标准“领跑者”（国市监标准〔2018〕84号）。同一企业同一产品同一年度不能重复登记；标准须为企业标准或团体标准。",
    columns=(Column("entity", "企业统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("product", "产品/服务", max_length=100),
             Column("standard_number", "标准编号", max_length=60, note="Q/… 或 T/…"),
             Column("year", "年度", "int"),
             Column("evaluator", "评估机构")),
    create=services.leader_create, queryset=selectors.leaders_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("product", "entity__name"), extra=(("企业名称", lambda r: r.entity.name),),
)

PILOTS = Register(
    key="pilots", title="标准化试点示范项目", model=PilotProject,
    description="国家、省、市级标准化试点示范项目。在项目页登记节点并逐一完成。",
    columns=(Column("name", "项目名称"),
             Column("level", "级别", "choice", choices=tuple(PilotLevel.choices)),
             Column("field", "领域", "choice", choices=tuple(PilotField.choices)),
             Column("undertaker", "承担单位"),
             Column("starts_on", "开始日期", "date"), Column("ends_on", "计划验收日期", "date")),
    create=services.pilot_create, queryset=selectors.pilots_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("name", "undertaker"), link=lambda r: reverse("standards:pilot", args=[r.pk]),
    extra=(("节点完成", lambda r: f"{r.milestones_done}/{r.milestones_total}"),
           ("逾期节点", lambda r: str(r.milestones_late))),
)

LOCAL = Register(
    key="local", title="地方标准制修订", model=LocalStandard,
    description="本市组织制定的地方标准：立项 → 起草 → 征求意见（不少于 30 日）→ 技术审查 → 报批 → 发布（DB4104/T 编号）。",
    columns=(Column("title", "标准名称"), Column("drafter", "起草单位"), Column("proposed_on", "立项日期", "date")),
    create=services.local_standard_create, queryset=selectors.local_standards_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("title", "drafter", "number"), link=lambda r: reverse("standards:local", args=[r.pk]),
    extra=(("阶段", lambda r: r.get_stage_display()), ("标准编号", lambda r: r.number),
           ("发布日期", lambda r: str(r.published_on or ""))),
)

REGISTERS = (STANDARDS, LEADERS, PILOTS, LOCAL)
