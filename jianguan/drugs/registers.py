"""The registers of drug supervision (core.registers): supervised objects, the focus list and adverse-event reports —
list, entry form, all-or-nothing Excel import, export and the staff API."""

from __future__ import annotations

from django.urls import reverse

from jianguan.core.registers import Column, Register

from . import selectors, services
from .models import AdverseEvent, EventKind, FocusCategory, FocusProduct, ObjectKind, Severity, SupervisedObject

VIEW = "drugs.view_supervisedobject"
MANAGE = "drugs.manage_object"
HANDLE = "drugs.handle_event"
ENTITY_NOTE = "18 位统一社会信用代码，须已在市场主体名录中"

OBJECTS = Register(
    key="objects", title="药品监管对象（零售药店、使用单位）", model=SupervisedObject,
    description="零售药店、医疗器械经营企业须关联其在市场主体名录中的有效许可证；医院、诊所等使用单位填写"
                "医疗机构执业许可证登记号。",
    columns=(Column("entity", "统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("kind", "类别", "choice", choices=tuple(ObjectKind.choices)),
             Column("licence", "许可证（备案凭证）编号", required=False, max_length=40,
                    show=lambda r: r.licence.number if r.licence_id else "", note="零售药店、医疗器械经营企业必填"),
             Column("practice_licence_no", "医疗机构执业许可证登记号", required=False, max_length=40,
                    note="医院、诊所必填")),
    create=services.object_register, queryset=selectors.objects_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("entity__name", "entity__uscc", "practice_licence_no"),
    extra=(("名称", lambda r: r.entity.name),),
    example=("91410400MA44XXXX0X", "零售药店", "豫DB37500001", ""),
)

FOCUS = Register(
    key="focus", title="重点监管品种名单", model=FocusProduct,
    description="血液制品、植入性医疗器械、儿童化妆品等高风险品种及其经营/使用单位；名单内单位在药品类双随机抽查中"
                "按更高风险类别的比例抽取（规则 drugs.focus_risk_class）。",
    columns=(Column("category", "重点品种类别", "choice", choices=tuple(FocusCategory.choices)),
             Column("product", "品名", max_length=100),
             Column("approval_no", "批准文号/注册证编号/备案编号", max_length=60),
             Column("holder", "经营/使用单位统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("listed_on", "列入日期", "date"),
             Column("until", "移出日期", "date", required=False)),
    create=services.focus_add, queryset=selectors.focus_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("product", "approval_no", "holder__name"),
    extra=(("单位名称", lambda r: r.holder.name),),
    example=("血液制品", "人血白蛋白", "国药准字S20060001", "91410400MA44XXXX0X", "2026-01-01", ""),
)

EVENTS = Register(
    key="events", title="不良反应和不良事件报告", model=AdverseEvent,
    description="接收后按报告单位所在县（区）分办，审核评价期限按严重程度计算（规则 drugs.review_workdays）；"
                "超过报告时限（规则 drugs.report_period_days）的标注。",
    columns=(Column("kind", "类别", "choice", choices=tuple(EventKind.choices)),
             Column("severity", "严重程度", "choice", choices=tuple(Severity.choices)),
             Column("product", "产品名称", max_length=100),
             Column("approval_no", "批准文号/注册证编号", required=False, max_length=60, in_list=False),
             Column("reporter", "报告单位统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("aware_on", "获知日期", "date"),
             Column("received_on", "接收日期", "date"),
             Column("description", "事件经过", max_length=2000, in_list=False)),
    create=services.event_receive, queryset=selectors.events_for, view_perm=VIEW, manage_perm=HANDLE,
    search=("number", "product", "reporter__name"), link=lambda r: reverse("drugs:event", args=[r.pk]),
    # kind, severity and dates set the clock and the routing: a wrong one is withdrawn and received again
    correctable=("product", "approval_no", "description"),
    extra=(("报告编号", lambda r: r.number), ("报告单位", lambda r: r.reporter.name),
           ("承办单位", lambda r: r.unit.name), ("审核评价期限", lambda r: f"{r.review_due:%Y-%m-%d}"
                                                                  + ("（暂定）" if r.calendar_pending else "")),
           ("超过报告时限", lambda r: "是" if r.late_report else "否"), ("状态", lambda r: r.get_status_display())),
    example=("药品不良反应", "严重", "注射用头孢曲松钠", "国药准字H20003456", "91410400MA44XXXX0X", "2026-11-30",
             "2026-12-02", "静脉滴注后出现皮疹、呼吸困难，停药后缓解"),
)

REGISTERS = (OBJECTS, FOCUS, EVENTS)
