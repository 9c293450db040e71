from django.apps import apps


def sync_roles_after_migrate(sender, **kwargs) -> None:
    # Permissions of every app exist only once the last app's post_migrate has run.
    configs = list(apps.get_app_configs())
    if sender is configs[-1]:
        from .roles import sync_roles

        sync_roles()
