from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


class CoreConfig(AppConfig):
    name = "jianguan.core"
    label = "core"
    verbose_name = "组织、人员与审计"

    def ready(self) -> None:
        from . import calendar, rules, signals  # noqa: F401  (connects the override loader and signal handlers)

        rules.connect_signals()

        post_migrate.connect(signals.sync_roles_after_migrate)
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(signals.stamp_login_time, dispatch_uid="jianguan.login_at")
        from django.contrib.auth.signals import user_logged_out

        from .security import hash_phone_usernames, on_login, on_logout

        user_logged_in.connect(on_login, dispatch_uid="jianguan.login_session")
        user_logged_out.connect(on_logout, dispatch_uid="jianguan.logout_session")
        from django.contrib.auth import get_user_model
        from django.db.models.signals import m2m_changed, pre_delete, pre_save

        from .audit import refuse_early_deletion
        from .models import AuditEntry
        from .separation import guard_group_changes

        pre_delete.connect(refuse_early_deletion, sender=AuditEntry, dispatch_uid="jianguan.audit_retention")
        pre_save.connect(hash_phone_usernames, sender=get_user_model(), dispatch_uid="jianguan.phone_login_names")
        m2m_changed.connect(guard_group_changes, sender=get_user_model().groups.through, dispatch_uid="jianguan.3admins")

        from .sqlite.base import wal_before_migrate

        pre_migrate.connect(wal_before_migrate, sender=self, dispatch_uid="jianguan.core.sqlite.wal")
