from django.apps import AppConfig


class StandardsConfig(AppConfig):
    name = "jianguan.standards"
    label = "standards"
    verbose_name = "标准化"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_public

        from . import rules  # noqa: F401  (declares the rules)
        from .home import standards_card
        from .registers import REGISTERS

        register(*(NavItem("标准化", r.title, f"standards:{r.key}_list", r.view_perm, icon="rulers", order=700 + i)
                   for i, r in enumerate(REGISTERS)))
        home.register(standards_card)
        register_public(PortalItem("地方标准与领跑者", "standards_public:index", icon="rulers",
                                   description="本市发布的地方标准和企业标准“领跑者”。", order=62))
