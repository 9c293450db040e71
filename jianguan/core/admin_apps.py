from django.contrib.admin.apps import AdminConfig


class JianguanAdminConfig(AdminConfig):
    """django.contrib.admin with our site: the workbench's lockout at its login, every ModelAdmin write audited."""

    default_site = "jianguan.core.admin_site.AuditedAdminSite"
