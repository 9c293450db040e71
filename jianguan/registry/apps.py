from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jianguan.registry"
    label = "registry"
    verbose_name = "市场主体登记"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the registry's rules)
        from .home import home_cards

        home.register(home_cards)

        register(
            NavItem("市场主体", "主体查询", "registry:entity_list", "registry.view_entity", icon="search", order=100),
            NavItem(
                "市场主体",
                "设立登记",
                "registry:entity_register",
                "registry.register_entity",
                icon="building-add",
                order=101,
            ),
            NavItem(
                "市场主体",
                "批量导入",
                "registry:entity_import",
                "registry.import_entity",
                icon="upload",
                order=103,
            ),
            NavItem(
                "市场主体",
                "许可证到期提醒",
                "registry:licences_expiring",
                "registry.view_licence",
                icon="alarm",
                order=102,
            ),
        )
