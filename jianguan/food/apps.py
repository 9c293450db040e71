from django.apps import AppConfig


class FoodConfig(AppConfig):
    name = "jianguan.food"
    label = "food"
    verbose_name = "食品安全监管"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_public
        from jianguan.registry import panels

        from . import credit_hooks, opendata, rules, services  # noqa: F401  (rules declares the food rules)
        from .home import card, entity_panel

        section = "食品安全监管"
        register(
            NavItem(section, "餐饮量化分级", "food:gradings", "food.view_gradinginspection", icon="emoji-smile",
                    order=578),
            NavItem(section, "明厨亮灶和示范店", "food:designations", "food.view_designation", icon="award",
                    order=579),
            NavItem(section, "核查处置和召回", "food:disposals", "food.view_disposal", icon="arrow-counterclockwise",
                    order=579),
            NavItem(section, "示范创建指标", "food:creation", "food.view_gradinginspection", icon="bar-chart",
                    order=579),
            NavItem(section, "食品三小登记", "food:smalls_list", "food.view_smallregistration", icon="shop",
                    order=580),
            NavItem(section, "导入三小登记", "food:smalls_import", "food.manage_small",
                    icon="file-earmark-arrow-up", order=581),
        )
        home.register(card)
        panels.register(entity_panel)  # 一户一档 on the entity's staff page
        register_public(PortalItem("餐饮食品安全等级", "food_public:index", icon="emoji-smile",
                                   description="餐饮服务食品安全量化等级（动态等级和年度等级）、商户回应，食品三小登记公示。",
                                   order=52))
        register_public(PortalItem("食品召回和核查处置", "food_public:disposals", icon="arrow-counterclockwise",
                                   description="食品召回公告，监督抽检不合格和投诉举报问题食品的核查处置结果。",
                                   order=53))
        credit_hooks.register()
        opendata.register()
        # food sampling runs on the shared sampling flow with its own periods (rules.py)
        from jianguan.sampling.sectors import Sector
        from jianguan.sampling.sectors import register as register_sector

        register_sector(Sector(code="food", label="食品安全监督抽检", objection_rule="food.sampling_objection_days",
                               objection_in_working_days=True, rectification_rule="food.sampling_rectification_days",
                               lead_source="monitoring", lead_basis=services.FOOD_LEAD_BASIS))
