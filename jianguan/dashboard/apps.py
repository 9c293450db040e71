from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "jianguan.dashboard"
    label = "dashboard"
    verbose_name = "领导驾驶舱"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from . import panels, rules  # noqa: F401  (declares the rules; registers the built-in panels)
        from .views import home_card

        register(NavItem("工作台", "领导驾驶舱", "dashboard:index", "dashboard.view_dashboard", icon="speedometer2",
                         order=1))
        home.register(home_card)
