from django.apps import apps


def sync_roles_after_migrate(sender, **kwargs) -> None:
    # Permissions of every app exist only once the last app's post_migrate has run.
    # post_migrate is sent only for apps with a models module (``api`` has none), so look for the last of those.
    configs = [c for c in apps.get_app_configs() if c.models_module is not None]
    if sender is configs[-1]:
        from .roles import sync_roles

        sync_roles()


def stamp_login_time(sender, request, user, **kwargs) -> None:
    """Start the session's absolute lifetime (security policy) at login."""
    import time

    if request is not None and hasattr(request, "session"):
        request.session["login_at"] = request.session["last_seen"] = int(time.time())
