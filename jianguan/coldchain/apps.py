from django.apps import AppConfig


class ColdchainConfig(AppConfig):
    name = "jianguan.coldchain"
    label = "coldchain"
    verbose_name = "进口冷链食品追溯"

    def ready(self) -> None:
        from jianguan.core import home
        from jianguan.core.navigation import NavItem, register

        from . import rules  # noqa: F401  (declares the cold-chain rules)
        from .home import card

        section = "冷链食品追溯"
        register(
            NavItem(section, "进口批次", "coldchain:batches_list", "coldchain.view_batch", icon="snow", order=600),
            NavItem(section, "出入库记录", "coldchain:movements_list", "coldchain.view_batch",
                    icon="arrow-left-right", order=601),
            NavItem(section, "追溯处置", "coldchain:incidents", "coldchain.view_batch", icon="diagram-3", order=602),
            NavItem(section, "导入出入库记录", "coldchain:movements_import", "coldchain.manage_batch",
                    icon="file-earmark-arrow-up", order=603),
        )
        home.register(card)
        from jianguan.portal.menu import PortalItem, register_account

        register_account(PortalItem("冷链食品出入库登记", "coldchain_public:movements", icon="snow",
                                    account_kind="enterprise",
                                    description="按追溯码登记本单位收到和发出的进口冷链食品。", order=31))
        register_account(PortalItem("冷链食品追溯处置任务", "coldchain_public:tasks", icon="shield-exclamation",
                                    account_kind="enterprise",
                                    description="本单位持有的批次被追溯时的封存、通知、消杀、报告任务和时限，报告处置情况。",
                                    order=32))
