"""Money as Chinese readers expect it, for templates (the ``yuan``/``wan`` filters) and for the texts the services
write (messages, lead descriptions) alike: no space before the unit, thousands separated, no trailing zeros.

- ``yuan(12800)`` → 1.28万元, ``yuan(8000)`` → 8,000元, ``yuan(12345.67)`` → 12,345.67元 (an amount kept in 元);
- ``wan(Decimal("60.0000"))`` → 60万元 (an amount kept in 万元: registered capital, subscribed capital);
- ``figure(12345.6)`` → 12,345.60 (a cell under a header that carries the unit, 「违规收费（元）」).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation


def _decimal(value) -> Decimal | None:
    try:
        d = Decimal(str(value))
    except (InvalidOperation, ValueError, TypeError):
        return None
    return d if d.is_finite() else None


def yuan(value) -> str:
    """An amount in 元: whole 百 from 1万 up as 万元 (50000 → 5万元, 12000 → 1.2万元), else yuan with separators
    (8000 → 8,000元, 12345.67 → 12,345.67元); empty for None."""
    if value in (None, ""):
        return ""
    d = _decimal(value)
    if d is None:
        return str(value)
    if abs(d) >= 10000 and d % 100 == 0:
        w = (d / 10000).normalize()
        return f"{w:,f}万元"
    return f"{figure(d)}元"


def wan(value) -> str:
    """An amount kept in 万元: 100.0000 → 100万元, 12.5 → 12.5万元, 20000 → 20,000万元; empty for None."""
    if value in (None, ""):
        return ""
    d = _decimal(value)
    if d is None:
        return str(value)
    return f"{d.normalize():,f}万元"


def figure(value) -> str:
    """A number of 元 for a table cell whose header names the unit: 12,345.60; whole amounts without decimals
    (8,000); empty for None."""
    if value in (None, ""):
        return ""
    d = _decimal(value)
    if d is None:
        return str(value)
    text = f"{d:,.2f}"
    return text[:-3] if text.endswith(".00") else text
