from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "jianguan.core"
    label = "core"
    verbose_name = "组织、人员与审计"

    def ready(self) -> None:
        from . import calendar, rules, signals  # noqa: F401  (connects the override loader and signal handlers)

        rules.connect_signals()

        post_migrate.connect(signals.sync_roles_after_migrate)
