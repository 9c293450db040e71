from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "jianguan.quality"
    label = "quality"
    verbose_name = "质量提升与认证检测"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the rules)
        from .home import quality_card
        from .registers import REGISTERS

        register(
            NavItem("质量提升", "园区覆盖情况", "quality:coverage", "quality.view_park", icon="pie-chart", order=650),
            *(NavItem("质量提升" if r.view_perm == "quality.view_park" else "认证与检验检测", r.title,
                      f"quality:{r.key}_list", r.view_perm, icon="journal-text", order=651 + i)
              for i, r in enumerate(REGISTERS)),
        )
        home.register(quality_card)
