from __future__ import annotations

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def figure(value, target) -> str:
    """A target's figure as people write it: 97.5%, 1,234户, 是/否; — when there is none yet."""
    if value is None:
        return "—"
    if target.kind == "yesno":
        return "是" if value else "否"
    value = Decimal(value)
    text = f"{value:,.0f}" if value == value.to_integral_value() else f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{text}{target.unit_label}"


@register.filter
def goal(target) -> str:
    if target.kind == "yesno":
        return "是"
    prefix = "≤" if target.direction == "le" else "≥"
    return prefix + figure(target.goal, target)
