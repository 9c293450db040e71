from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "jianguan.inspections"
    label = "inspections"
    verbose_name = "双随机抽查"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_public

        from . import integrations, rules  # noqa: F401  (declares the inspection rules)
        from .views import home_tasks

        section = "双随机抽查"
        register(
            NavItem(
                section,
                "我的检查任务",
                "inspections:task_list",
                "inspections.record_results",
                icon="clipboard-check",
                order=300,
            ),
            NavItem(section, "今日检查", "inspections:today", "inspections.record_results", icon="phone", order=299),
            NavItem(
                section,
                "抽查计划",
                "inspections:plan_list",
                "inspections.view_inspectionplan",
                icon="calendar2-range",
                order=301,
            ),
            NavItem(
                section,
                "抽查事项清单",
                "inspections:item_list",
                "inspections.view_inspectionitem",
                icon="list-check",
                order=302,
            ),
            NavItem(
                section,
                "检查人员名录库",
                "inspections:inspector_list",
                "inspections.view_inspectionplan",
                icon="person-badge",
                order=303,
            ),
            NavItem(
                section,
                "回避声明",
                "inspections:conflict_list",
                "inspections.record_results",
                icon="person-x",
                order=304,
            ),
            NavItem(
                section,
                "列入异常名录建议",
                "inspections:proposal_list",
                "inspections.view_listingproposal",
                icon="exclamation-triangle",
                order=305,
            ),
        )
        home.register(home_tasks)
        from jianguan.registry import panels as entity_panels

        from .entity_panel import entity_panel

        entity_panels.register(entity_panel)  # 一户一档 on the entity's staff page
        register_public(
            PortalItem(
                "双随机抽查公示",
                "inspections_public:index",
                icon="shuffle",
                description="抽查计划、抽取结果（可下载验证）和检查结果公示",
                order=40,
            )
        )
        integrations.register()
