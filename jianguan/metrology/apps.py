from django.apps import AppConfig


class MetrologyConfig(AppConfig):
    name = "jianguan.metrology"
    label = "metrology"
    verbose_name = "计量"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the verification intervals)
        from .home import card

        register(
            NavItem("计量", "强制检定器具", "metrology:list", "metrology.view_instrument", icon="speedometer2", order=540),
            NavItem("计量", "专项检查", "metrology:campaigns", "metrology.view_instrument", icon="clipboard2-check",
                    order=541),
            NavItem("计量", "导入台账", "metrology:import", "metrology.manage_instrument", icon="file-earmark-arrow-up",
                    order=542),
        )
        home.register(card)
