from django import template

register = template.Library()

STATUS_CLASSES = {
    "active": "text-bg-success",
    "revoked": "text-bg-danger",
    "deregistered": "text-bg-secondary",
    "cancelled": "text-bg-dark",
    "moved_out": "text-bg-info",
}
LICENCE_CLASSES = {
    "valid": "text-bg-success",
    "suspended": "text-bg-warning",
    "revoked": "text-bg-danger",
    "cancelled": "text-bg-secondary",
    "expired": "text-bg-secondary",
}


@register.filter
def entity_status_class(status: str) -> str:
    return STATUS_CLASSES.get(status, "text-bg-light")


@register.filter
def licence_status_class(status: str) -> str:
    return LICENCE_CLASSES.get(status, "text-bg-light")


@register.inclusion_tag("registry/_days_left.html")
def days_left(days: int | None, warning_days: int = 60):
    """ "剩 N 天" / "已过期 N 天" with a colour that says how urgent it is."""
    return {
        "days": days,
        "overdue": days is not None and days < 0,
        "abs": abs(days) if days is not None else None,
        "soon": days is not None and 0 <= days <= warning_days,
    }
