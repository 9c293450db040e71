from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jianguan.monitoring"
    label = "monitoring"
    verbose_name = "监测"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from .home import ads_card, monitoring_card
        from .registers import ADS, APPROVALS, FINDINGS, SHOPS, VIEW_ADS

        register(*(NavItem("网络交易监管", r.title, f"monitoring:{r.key}_list", r.view_perm, icon="globe",
                           order=700 + i) for i, r in enumerate((SHOPS, FINDINGS))))
        register(NavItem("广告监测", ADS.title, "monitoring:ads_list", VIEW_ADS, icon="megaphone", order=710),
                 NavItem("广告监测", "广告监测统计", "monitoring:ad_statistics", VIEW_ADS, icon="bar-chart", order=711),
                 NavItem("广告监测", APPROVALS.title, "monitoring:approvals_list", VIEW_ADS, icon="patch-check",
                         order=712),
                 NavItem("广告监测", "类别与广告法条款", "monitoring:ad_rules", VIEW_ADS, icon="book", order=713))
        home.register(monitoring_card)
        home.register(ads_card)
