from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "jianguan.complaints"
    label = "complaints"
    verbose_name = "投诉举报"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from jianguan.core import home
        from jianguan.core.models import Division
        from jianguan.core.navigation import NavItem, register
        from jianguan.portal.menu import PortalItem, register_public

        from . import credit_hooks, rules  # noqa: F401  (declares the rules; registers credit providers)
        from .forms import forget_division_choices
        from .home import due_card

        post_save.connect(forget_division_choices, sender=Division, dispatch_uid="complaints-divisions-save")
        from django.apps import apps

        if apps.is_installed("jianguan.enforcement"):
            from .services import lead_decided

            # The reporter is told within 5 working days of the filing decision itself (Order 20 art. 31).
            post_save.connect(lead_decided, sender="enforcement.Lead", dispatch_uid="complaints-lead-decided")
        post_delete.connect(forget_division_choices, sender=Division, dispatch_uid="complaints-divisions-delete")

        register(
            NavItem(
                "投诉举报", "投诉举报", "complaints:list", "complaints.view_complaint", icon="megaphone", order=400
            ),
            NavItem(
                "投诉举报",
                "登记投诉举报",
                "complaints:new",
                "complaints.add_complaint",
                icon="telephone-plus",
                order=401,
            ),
            NavItem(
                "投诉举报",
                "12315数据导入",
                "complaints:import",
                "complaints.import_complaint",
                icon="file-earmark-arrow-up",
                order=402,
            ),
            NavItem(
                "投诉举报",
                "投诉举报分析",
                "complaints:analytics",
                "complaints.view_complaint_analytics",
                icon="bar-chart-line",
                order=403,
            ),
        )
        home.register(due_card)
        from jianguan.registry import panels as entity_panels

        from .entity_panel import entity_panel

        entity_panels.register(entity_panel)  # 一户一档 on the entity's staff page
        register_public(
            PortalItem(
                "投诉举报",
                "complaints_public:new",
                icon="megaphone",
                description="消费投诉、违法行为举报，网上提交，全程可查。",
                order=40,
            ),
            PortalItem(
                "投诉举报进度查询",
                "complaints_public:track",
                icon="search",
                description="凭编号和查询码查看办理进度。",
                order=41,
            ),
            PortalItem(
                "企业投诉统计",
                "complaints_public:stats",
                icon="bar-chart",
                description="各企业近12个月的投诉件数、受理率、调解成功率和挽回损失。",
                order=42,
            ),
        )
