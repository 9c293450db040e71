from django.apps import AppConfig


class IpConfig(AppConfig):
    name = "jianguan.ip"
    label = "ip"
    verbose_name = "知识产权"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_public

        from . import rules  # noqa: F401  (declares the rules)
        from .home import ip_card
        from .registers import REGISTERS

        section = "知识产权"
        register(
            NavItem(section, "知识产权案件", "ip:cases", "ip.record_ip_facts", icon="shield-exclamation", order=600),
            NavItem(section, "专项行动统计", "ip:statistics", "ip.view_ip_statistics", icon="bar-chart", order=601),
            *(NavItem(section, r.title, f"ip:{r.key}_list", r.view_perm, icon="journal-text", order=602 + i)
              for i, r in enumerate(REGISTERS)),
        )
        home.register(ip_card)
        register_public(
            PortalItem("知识产权保护专项行动", "ip_public:campaigns", icon="shield-check",
                       description="“护航”“雷霆”等知识产权执法专项行动的查办成果。", order=60),
            PortalItem("地理标志使用人", "ip_public:gi", icon="geo-alt",
                       description="本市地理标志及经核准使用专用标志的企业。", order=61),
        )
