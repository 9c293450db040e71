"""Portal menus. Apps register public entries (everyone) and account entries (signed-in public/enterprise users)."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class PortalItem:
    label: str
    url_name: str
    icon: str = "circle"
    description: str = ""
    order: int = 100
    account_kind: str | None = None  # for account entries: "person", "enterprise" or None (both)


PUBLIC: list[PortalItem] = []
ACCOUNT: list[PortalItem] = []


def register_public(*items: PortalItem) -> None:
    PUBLIC.extend(i for i in items if i not in PUBLIC)


def register_account(*items: PortalItem) -> None:
    ACCOUNT.extend(i for i in items if i not in ACCOUNT)


def _resolve(items):
    out = []
    for item in sorted(items, key=lambda i: (i.order, i.label)):
        try:
            out.append({"label": item.label, "url": reverse(item.url_name), "icon": item.icon,
                        "description": item.description})
        except NoReverseMatch:
            continue
    return out


def portal_context(request):
    ctx = {"portal_menu": _resolve(PUBLIC)}
    user = getattr(request, "user", None)
    profile = getattr(user, "public_profile", None) if user is not None and user.is_authenticated else None
    if profile is not None:
        ctx["account_menu"] = _resolve(i for i in ACCOUNT if i.account_kind in (None, profile.kind))
    return ctx
