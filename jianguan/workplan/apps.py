from django.apps import AppConfig


class WorkplanConfig(AppConfig):
    name = "jianguan.workplan"
    label = "workplan"
    verbose_name = "重点工作计划与督查督办"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the rules)
        from .home import notices_card

        register(
            NavItem("重点工作", "重点工作计划", "workplan:plans", "workplan.view_plan", icon="list-check", order=60),
            NavItem("重点工作", "进展审核", "workplan:review", "workplan.review_report", icon="clipboard-check",
                    order=61),
            NavItem("重点工作", "督办提醒", "workplan:notices", None, icon="bell", order=62),
        )
        home.register(notices_card)
