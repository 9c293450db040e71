"""The workbench menu. Each app registers its entries; a user sees those their permissions allow."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_noop as _


@dataclass(frozen=True)
class NavItem:
    section: str
    label: str
    url_name: str
    permission: str | None = None  # None: any staff user with workbench access
    icon: str = "circle"
    order: int = 100


MENU: list[NavItem] = []


def register(*items: NavItem) -> None:
    for item in items:
        if item not in MENU:
            MENU.append(item)


def menu_for(user) -> list[tuple[str, list[dict]]]:
    sections: dict[str, list[dict]] = {}
    perms = user.get_all_permissions()
    for item in sorted(MENU, key=lambda i: (i.order, i.label)):
        if item.permission and item.permission not in perms:
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:
            continue
        sections.setdefault(gettext(item.section), []).append({"label": gettext(item.label), "url": url, "icon": item.icon})
    return list(sections.items())


register(
    NavItem(_("工作台"), _("首页"), "core:home", icon="house", order=0),
    NavItem(_("系统管理"), _("组织机构"), "core:org_tree", "core.view_orgunit", icon="diagram-3", order=900),
    NavItem(_("系统管理"), _("工作人员"), "core:staff_list", "core.manage_org", icon="people", order=901),
    NavItem(_("系统管理"), _("工作日历"), "core:calendar", "core.manage_calendar", icon="calendar3", order=902),
    NavItem(_("系统管理"), _("业务规则参数"), "core:rules", "core.manage_rules", icon="sliders", order=903),
    NavItem(_("安全管理"), _("安全策略"), "core:security_policy", "core.manage_security", icon="shield-lock", order=910),
    NavItem(_("安全管理"), _("重置双因素认证"), "core:two_factor_reset", "core.manage_security", icon="phone", order=911),
    NavItem(_("安全审计"), _("审计日志"), "core:audit_log", "core.view_auditentry_log", icon="journal-check", order=920),
    NavItem(_("个人"), _("API 令牌"), "core:tokens", None, icon="key", order=990),
    NavItem(_("个人"), _("修改密码"), "core:password_change", None, icon="lock", order=991),
)
