"""Shared bits of the registry's commands."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError


def actor_from(username: str | None):
    """The staff user named by ``--actor`` (their data scope then applies), or None for the system operator."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"用户「{username}」不存在或已停用", returncode=2)
    return user
