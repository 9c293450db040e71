from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "jianguan.credit"
    label = "credit"
    verbose_name = "信用监管"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_account

        from . import risk, rules, timeline  # noqa: F401  (rules, risk indicators and timeline providers)
        from .views import home_card, removal_card

        register(
            NavItem("信用监管", "风险分类", "credit:home", "credit.view_entityrisk", icon="bar-chart", order=200),
            NavItem("信用监管", "年报报送情况", "credit:reports", "credit.view_annualreport", icon="journal-text",
                    order=201),
            NavItem("信用监管", "年报财务全零", "credit:zero", "credit.view_annualreport", icon="exclamation-diamond",
                    order=202),
            NavItem("信用监管", "经营异常名录", "credit:lists", "credit.view_listentry", icon="list-ul", order=203),
            NavItem("信用监管", "严重违法失信名单", "credit:serious", "credit.view_listentry", icon="slash-circle",
                    order=204),
            NavItem("信用监管", "信用修复", "credit:repairs", "credit.view_repairapplication", icon="bandaid",
                    order=205),
            NavItem("信用监管", "即时信息", "credit:instant", "credit.view_instantinfo", icon="clock-history",
                    order=206),
        )
        register_account(
            PortalItem("年度报告", "credit_public:reports", icon="journal-text", account_kind="enterprise",
                       description="报送、更正上一年度年度报告", order=20),
            PortalItem("即时信息公示", "credit_public:instant", icon="clock-history", account_kind="enterprise",
                       description="20个工作日内公示股东出资、股权变更、许可等信息", order=21),
            PortalItem("信用记录与修复", "credit_public:record", icon="shield-check", account_kind="enterprise",
                       description="本企业的信用记录、告知书和信用修复申请", order=22),
        )
        home.register(home_card)
        from jianguan.registry import panels as entity_panels

        from .entity_panel import entity_panel

        entity_panels.register(entity_panel)  # 一户一档 on the entity's staff page
        home.register(removal_card)
