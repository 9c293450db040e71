from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "jianguan.monitoring"
    label = "monitoring"
    verbose_name = "监测"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from .home import monitoring_card
        from .registers import REGISTERS

        register(*(NavItem("网络交易监管", r.title, f"monitoring:{r.key}_list", r.view_perm, icon="globe",
                           order=700 + i) for i, r in enumerate(REGISTERS)))
        home.register(monitoring_card)
