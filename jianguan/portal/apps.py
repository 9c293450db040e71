from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "jianguan.portal"
    label = "portal"
    verbose_name = "公众服务门户"

    def ready(self) -> None:
        from . import records, rules  # noqa: F401  (rules: declares the portal's rules)
        from .menu import PortalItem, register_account, register_public

        register_public(
            PortalItem("企业信用信息查询", "portal:search", icon="search",
                       description="按名称或统一社会信用代码查询登记、许可、年报、名录、抽查结果", order=1),
            PortalItem("通知公告", "portal:notices", icon="megaphone", description="本局发布的通知公告", order=2),
            PortalItem("开放数据", "portal:open_data", icon="database-down",
                       description="每日全量数据包（CSV、JSON Lines）与公开数据接口", order=90),
        )
        register_account(
            PortalItem("企业回应", "portal:replies", icon="chat-left-text", account_kind="enterprise",
                       description="对本企业已公示的抽查结果、行政处罚发表回应", order=30),
            PortalItem("本企业公示信息", "portal:my_record", icon="building", account_kind="enterprise",
                       description="社会公众看到的本企业信用信息", order=31),
        )
        records.connect()
