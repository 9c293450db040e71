"""Roles are Django groups with permissions, defined here and synced after every migrate.

Apps add their permissions to the roles that need them by listing them below; a permission named here that no
app defines yet is skipped (the app that defines it will come with a migration, and the next sync adds it).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_noop as _


@dataclass(frozen=True)
class Role:
    code: str
    name: str
    permissions: tuple[str, ...]
    description: str = ""


WORKBENCH = "core.access_workbench"
VIEW_ENTITY = "registry.view_entity"
CREDIT_VIEW = ("credit.view_entityrisk", "credit.view_listentry", "credit.view_annualreport",
               "credit.view_repairapplication", "credit.view_instantinfo")

ROLES: tuple[Role, ...] = (
    Role("registrar", _("登记注册员"),
         (WORKBENCH, VIEW_ENTITY, "registry.register_entity", "registry.import_entity", "registry.export_entity",
          "registry.view_entity_personal", "registry.view_licence", "registry.add_licence", "registry.change_licence",
          "startup.view_application", "startup.review_application"),
         "市场主体登记、企业开办审批、许可"),
    Role("inspector", _("检查人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence", "credit.view_entityrisk",
                                  "credit.view_listentry", "inspections.record_results",
                                  "inspections.view_inspectiontask", "inspections.view_inspectionplan",
                                  "inspections.view_inspectionitem"), "双随机抽查、日常检查"),
    Role("case_officer", _("执法办案人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence",
                                       "registry.view_entity_personal", "enforcement.view_lead",
                                       "enforcement.view_document", "enforcement.issue_document",
                                       "enforcement.handle_lead", "enforcement.view_case", "enforcement.handle_case",
                                       "enforcement.view_deadline_board", "ip.record_ip_facts"),
         "线索核查、立案、调查、处罚"),
    Role("legal_reviewer", _("法制审核人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence", "enforcement.view_lead",
                                         "enforcement.view_case", "enforcement.review_case"), "重大执法决定法制审核"),
    Role("complaint_handler", _("投诉举报处理人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence",
                                              "complaints.view_complaint", "complaints.add_complaint",
                                              "complaints.handle_complaint", "complaints.import_complaint",
                                              "complaints.view_complaint_analytics"), "12315 投诉举报受理、调解"),
    Role("credit_officer", _("信用监管人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence", *CREDIT_VIEW,
                                           "credit.decide_listing", "credit.propose_serious", "credit.decide_repair",
                                           "credit.send_report_reminder", "credit.order_instant_info",
                                           "credit.recompute_risk", "inspections.view_listingproposal",
                                           "inspections.review_proposals"), "年报、经营异常名录、严重违法失信名单、信用修复"),
    Role("ip_officer", _("知识产权管理人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence", "enforcement.view_case",
                                         "ip.record_ip_facts", "ip.view_ip_statistics", "ip.view_giproduct",
                                         "ip.manage_ip_registers"),
         "知识产权案件要素、专项行动统计、地理标志、优势示范企业、质押融资、商标代理机构"),
    Role("online_monitor", _("网络交易监管人员"), (WORKBENCH, VIEW_ENTITY, "monitoring.view_onlineshop",
                                              "monitoring.manage_online_shops", "monitoring.capture_online_evidence",
                                              "monitoring.view_ad", "monitoring.monitor_ads", "enforcement.view_lead"),
         "网店台账、网络交易监测电子数据取证、广告监测与批准文号核对、移交线索"),
    Role("price_inspector", _("价格监督检查人员"), (WORKBENCH, VIEW_ENTITY, "monitoring.view_feecampaign",
                                                "monitoring.check_fees"),
         "涉企违规收费专项检查、检查清单、责令清退与清退确认、报送统计"),
    Role("anti_counterfeit", _("打击假冒伪劣人员"), (WORKBENCH, VIEW_ENTITY, "monitoring.view_counterfeitcampaign",
                                                 "monitoring.manage_counterfeit_campaigns"),
         "打击假冒伪劣行动：关联检查、不合格样品和案件，登记查扣与销毁"),
    Role("quality_officer", _("质量发展人员"), (WORKBENCH, VIEW_ENTITY, "quality.view_park",
                                           "quality.manage_quality_registers", "quality.record_visits"),
         "进园区入百企走访、质量奖和品牌认定、首席质量官"),
    Role("certification_supervisor", _("认证认可与检验检测监管人员"),
         (WORKBENCH, VIEW_ENTITY, "registry.view_licence", "quality.view_certificationbody", "quality.manage_bodies"),
         "认证机构、认证证书、检验检测机构资质认定和报告"),
    Role("standards_officer", _("标准化管理人员"), (WORKBENCH, VIEW_ENTITY, "standards.view_enterprisestandard",
                                              "standards.manage_standards"),
         "企业标准、领跑者、标准化试点示范、地方标准制修订"),
    Role("equipment_supervisor", _("特种设备监管人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence")),
    Role("food_supervisor", _("食品安全监管人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence")),
    Role("drug_supervisor", _("药品监管人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence")),
    Role("quality_supervisor", _("产品质量监管人员"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence")),
    Role("department_head", _("科室/单位负责人"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence",
                                          "registry.export_entity", "registry.view_entity_personal",
                                          "startup.view_application", "startup.review_application", *CREDIT_VIEW,
                                          "credit.approve_serious", "complaints.view_complaint",
                                          "complaints.view_complaint_analytics", "inspections.manage_plans",
                                          "inspections.view_inspectionplan", "inspections.view_inspectionitem",
                                          "inspections.manage_items", "inspections.view_inspectiontask",
                                          "inspections.view_listingproposal", "enforcement.view_lead",
                                          "enforcement.view_document", "enforcement.view_case",
                                          "enforcement.approve_case", "enforcement.view_deadline_board",
                                          "ip.view_ip_statistics", "ip.view_giproduct", "monitoring.view_onlineshop", "quality.view_park",
                                          "quality.view_certificationbody", "standards.view_enterprisestandard",
                                          "workplan.view_plan", "workplan.report_progress", "dashboard.view_dashboard"),
         "审批、督办本单位工作"),
    Role("bureau_leader", _("局领导"), (WORKBENCH, VIEW_ENTITY, "registry.view_licence", *CREDIT_VIEW,
                                     "startup.view_application", "registry.export_entity", "core.view_orgunit",
                                     "credit.approve_serious", "complaints.view_complaint",
                                     "complaints.view_complaint_analytics", "inspections.view_inspectionplan",
                                     "inspections.view_inspectionitem", "inspections.view_inspectiontask",
                                     "inspections.view_listingproposal", "enforcement.view_lead",
                                     "enforcement.view_document", "enforcement.view_case",
                                     "enforcement.approve_case", "enforcement.view_deadline_board",
                                     "ip.view_ip_statistics", "ip.view_giproduct", "monitoring.view_onlineshop", "quality.view_park",
                                     "quality.view_certificationbody", "standards.view_enterprisestandard",
                                     "workplan.view_plan", "workplan.export_plan_report", "dashboard.view_dashboard"),
         "全局工作总览与审批"),
    Role("supervision_office", _("督查督办人员"), (WORKBENCH, "workplan.view_plan", "workplan.manage_plan",
                                              "workplan.review_report", "workplan.export_plan_report",
                                              "dashboard.view_dashboard"),
         "重点工作计划的分解、进展审核、督办和通报"),
    Role("system_admin", _("系统管理员"),
        (
            WORKBENCH,
            "core.manage_org",
            "core.manage_calendar",
            "core.manage_rules",
            "core.view_orgunit",
            "core.add_orgunit",
            "core.change_orgunit",
            "core.view_staffprofile",
            "core.add_staffprofile",
            "core.change_staffprofile",
            "auth.view_user",
            "auth.add_user",
            "auth.change_user",
            "auth.view_group",
            "core.view_workdayoverride",
            "core.add_workdayoverride",
            "core.change_workdayoverride",
            "core.delete_workdayoverride",
            "core.view_calendaryear",
            "core.add_calendaryear",
            "core.change_calendaryear",
            "core.view_rulevalue",
            "core.add_rulevalue",
            "core.change_rulevalue",
            "core.view_division",
        ),
        "用户、组织机构和系统配置；不接触业务数据和审计日志",
    ),
    Role("security_admin", _("安全管理员"), (WORKBENCH, "core.manage_security"), "安全策略"),
    Role("audit_admin", _("安全审计员"), (WORKBENCH, "core.view_auditentry_log"), "只读查阅审计日志"),
)

# Sector supervision (#17): added to the roles here rather than inside the lists above, so that the apps being built
# side by side do not all edit the same lines.
EQUIPMENT_VIEW = ("equipment.view_device",)
EQUIPMENT_WORK = (*EQUIPMENT_VIEW, "equipment.manage_device", "equipment.import_device", "equipment.export_device",
                  "equipment.act_on_overdue", "enforcement.view_lead")
SAMPLING_VIEW = ("sampling.view_plan",)
SAMPLING_WORK = (*SAMPLING_VIEW, "sampling.manage_plan", "sampling.record_sample", "enforcement.view_lead")
# Sector supervision II (#18): food supervisors keep the cold-chain register and run traces.
COLDCHAIN_VIEW = ("coldchain.view_batch",)
COLDCHAIN_WORK = (*COLDCHAIN_VIEW, "coldchain.manage_batch", "coldchain.trace_batch")
# Food (#18): 三小 registrations, catering grading, designations; food sampling runs on the sampling flow.
FOOD_VIEW = ("food.view_smallregistration", "food.view_gradinginspection", "food.view_designation",
             "food.view_disposal")
FOOD_WORK = (*FOOD_VIEW, "food.manage_small", "food.grade_catering", "food.review_designation",
             "food.handle_disposal", *SAMPLING_WORK)
# Drug supervisors keep the drug registers, run campaigns (their plans) and review adverse-event reports.
DRUGS_VIEW = ("drugs.view_supervisedobject",)
DRUGS_WORK = (*DRUGS_VIEW, "drugs.manage_object", "drugs.handle_event", "inspections.manage_plans",
              "inspections.view_inspectionplan", "inspections.view_inspectionitem")
# Price supervisors keep the monitored outlets and their reports and follow the alerts (leads go to enforcement).
PRICES_VIEW = ("prices.view_outlet",)
PRICES_WORK = (*PRICES_VIEW, "prices.manage_outlet", "prices.handle_alert", "enforcement.view_lead")
METROLOGY_VIEW = ("metrology.view_instrument",)
# The enforcement focus areas (#21): leaders read the monitoring figures their dashboard links to.
MONITORING_VIEW = ("monitoring.view_onlineshop", "monitoring.view_ad", "monitoring.view_feecampaign",
                   "monitoring.view_counterfeitcampaign")
METROLOGY_WORK = (*METROLOGY_VIEW, "metrology.manage_instrument")
SECTOR_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "equipment_supervisor": EQUIPMENT_WORK,
    "metrology_supervisor": METROLOGY_WORK,
    "quality_supervisor": SAMPLING_WORK,
    "food_supervisor": (*COLDCHAIN_WORK, *FOOD_WORK),
    "drug_supervisor": DRUGS_WORK,
    "price_supervisor": PRICES_WORK,
    "department_head": (*EQUIPMENT_VIEW, *SAMPLING_VIEW, *COLDCHAIN_VIEW, *METROLOGY_VIEW, *FOOD_VIEW, *DRUGS_VIEW,
                        *PRICES_VIEW, *MONITORING_VIEW),
    "bureau_leader": (*EQUIPMENT_VIEW, *SAMPLING_VIEW, *COLDCHAIN_VIEW, *METROLOGY_VIEW, *FOOD_VIEW, *DRUGS_VIEW,
                      *PRICES_VIEW, *MONITORING_VIEW),
}
ROLES += (Role("price_supervisor", _("价格监测人员"), (WORKBENCH, VIEW_ENTITY), "价格监测、涉嫌哄抬价格预警"),)
ROLES += (Role("metrology_supervisor", _("计量监管人员"), (WORKBENCH, VIEW_ENTITY), "强制检定计量器具、计量专项检查"),)
ROLES = tuple(Role(r.code, r.name, r.permissions + SECTOR_PERMISSIONS.get(r.code, ()), r.description) for r in ROLES)

ROLE_BY_CODE = {r.code: r for r in ROLES}
ROLE_NAMES = {r.code: r.name for r in ROLES}
ADMIN_ROLES = {"system_admin", "security_admin", "audit_admin"}


def sync_roles() -> None:
    """Create or update one group per role with exactly its permissions. Idempotent."""
    from django.contrib.auth.models import Group, Permission

    perms = {f"{p.content_type.app_label}.{p.codename}": p for p in Permission.objects.select_related("content_type")}
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role.code)
        wanted = [perms[p] for p in role.permissions if p in perms]
        group.permissions.set(wanted)


def role_codes(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_jianguan_roles", None)
    if cached is None:
        cached = [g.name for g in user.groups.all()]
        user._jianguan_roles = cached
    return cached
