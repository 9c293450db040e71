from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "jianguan.quality"
    label = "quality"
    verbose_name = "质量提升与认证检测"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_public

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
        register_public(PortalItem("认证检测机构与质量品牌", "quality_public:bodies", icon="patch-check",
                                   description="检验检测机构资质认定、认证机构及质量奖、品牌认定。", order=63))
