from django.apps import AppConfig


class PricesConfig(AppConfig):
    name = "jianguan.prices"
    label = "prices"
    verbose_name = "防疫用品和价格监测"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_account, register_public
        from jianguan.sampling.sectors import Sector
        from jianguan.sampling.sectors import register as register_sector

        from . import rules  # noqa: F401  (declares the price rules)
        from .home import card

        section = "防疫用品和价格监测"
        register(
            NavItem(section, "价格异常预警", "prices:alerts", "prices.view_outlet", icon="graph-up-arrow", order=640),
            NavItem(section, "价格报送", "prices:reports_list", "prices.view_outlet", icon="currency-yen", order=641),
            NavItem(section, "价格监测点", "prices:outlets_list", "prices.view_outlet", icon="shop", order=642),
            NavItem(section, "导入价格报送", "prices:reports_import", "prices.manage_outlet",
                    icon="file-earmark-arrow-up", order=643),
        )
        home.register(card)
        register_public(PortalItem("重要商品价格公示", "prices_public:board", icon="graph-up",
                                   description="粮油肉蛋菜、口罩、药品的监测价格", order=60))
        register_account(PortalItem("价格报送", "prices_public:report", icon="currency-yen", account_kind="enterprise",
                                    description="价格监测点报送当日零售价", order=30))
        # mask and protective-clothing quality sampling runs on the shared sampling flow (categories in 0002)
        register_sector(Sector(code="epidemic", label="防疫用品质量抽检", objection_rule="prices.sampling_objection_days",
                               lead_source="monitoring"))
