from django.apps import AppConfig


class StartupConfig(AppConfig):
    name = "jianguan.startup"
    label = "startup"
    verbose_name = "企业开办"

    def ready(self) -> None:
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_account, register_public

        from . import rules  # noqa: F401  (declares the start-up rules)

        register(
            NavItem("企业开办", "审核队列", "startup:queue", "startup.review_application", icon="inboxes", order=200),
            NavItem("企业开办", "全部申请", "startup:list", "startup.view_application", icon="card-list", order=201),
            NavItem("企业开办", "办理时效", "startup:stats", "startup.view_application", icon="stopwatch", order=202),
        )
        register_public(
            PortalItem(
                "企业开办",
                "startup_public:index",
                icon="building-add",
                description="名称自主申报、设立登记与刻章、税务、社保、银行开户等“+N”事项一次办结",
                order=10,
            ),
            PortalItem(
                "简易注销公告",
                "startup_public:notices",
                icon="megaphone",
                description="公告期内的简易注销企业，可在线提出异议",
                order=60,
            ),
        )
        register_account(
            PortalItem(
                "我的申请",
                "startup_public:my_applications",
                icon="folder2-open",
                description="企业开办、变更、注销申请的进度与营业执照下载",
                order=10,
            ),
        )
