from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jianguan.monitoring"
    label = "monitoring"
    verbose_name = "监测"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from .home import ads_card, counterfeits_card, fees_card, monitoring_card
        from .registers import ADS, APPROVALS, FINDINGS, SHOPS, VIEW, VIEW_ADS, VIEW_FAKES, VIEW_FEES

        register(*(NavItem("网络交易监管", r.title, f"monitoring:{r.key}_list", r.view_perm, icon="globe",
                           order=700 + i) for i, r in enumerate((SHOPS, FINDINGS))))
        register(NavItem("网络交易监管", "监测轮次", "monitoring:rounds", VIEW, icon="shuffle", order=702))
        register(NavItem("广告监测", ADS.title, "monitoring:ads_list", VIEW_ADS, icon="megaphone", order=710),
                 NavItem("广告监测", "广告监测统计", "monitoring:ad_statistics", VIEW_ADS, icon="bar-chart", order=711),
                 NavItem("广告监测", APPROVALS.title, "monitoring:approvals_list", VIEW_ADS, icon="patch-check",
                         order=712),
                 NavItem("广告监测", "类别与广告法条款", "monitoring:ad_rules", VIEW_ADS, icon="book", order=713))
        home.register(monitoring_card)
        register(NavItem("涉企收费检查", "专项行动", "monitoring:fee_campaigns", VIEW_FEES, icon="cash-coin",
                         order=720))
        home.register(ads_card)
        register(NavItem("打击假冒伪劣", "打假行动", "monitoring:counterfeits", VIEW_FAKES, icon="shield-x",
                         order=730))
        home.register(fees_card)
        home.register(counterfeits_card)
