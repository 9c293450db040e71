from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "jianguan.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from . import (
            credit_hooks,
            document_models,  # noqa: F401  (Document, Publication: registers the models)
            publication,
            rules,  # noqa: F401  (declares the enforcement rules)
        )
        from .home import deadline_card, review_card

        publication.connect()  # its rules, daily job and demo step; the credit-repair hook; the menus
        credit_hooks.register()  # the penalties on the credit record and the risk indicator penalties_3y
        register(
            NavItem("行政执法", "案源线索", "enforcement:leads", "enforcement.view_lead", icon="inbox", order=500),
            NavItem("行政执法", "案件", "enforcement:cases", "enforcement.view_case", icon="folder2-open", order=501),
            NavItem("行政执法", "办案期限看板", "enforcement:board", "enforcement.view_deadline_board",
                    icon="hourglass-split", order=502),
            NavItem("行政执法", "法制审核", "enforcement:reviews", "enforcement.review_case", icon="clipboard-check",
                    order=502),
            NavItem("行政执法", "当场处罚", "enforcement:simplified", "enforcement.handle_case", icon="lightning",
                    order=503),
        )
        home.register(deadline_card)
        from jianguan.registry import panels as entity_panels

        from .entity_panel import entity_panel

        entity_panels.register(entity_panel)  # 一户一档 on the entity's staff page
        home.register(review_card)
