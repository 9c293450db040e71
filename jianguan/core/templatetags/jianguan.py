from django import forms, template

from jianguan.core import money

register = template.Library()


@register.filter
def bs(field):
    """Render a bound field's widget with the Bootstrap class that suits it (and is-invalid on errors)."""
    widget = field.field.widget
    if isinstance(widget, forms.CheckboxInput | forms.RadioSelect | forms.CheckboxSelectMultiple):
        css = "form-check-input"
    elif isinstance(widget, forms.Select):
        css = "form-select"
    else:
        css = "form-control"
    if field.errors:
        css += " is-invalid"
    existing = widget.attrs.get("class", "")
    return field.as_widget(attrs={"class": f"{existing} {css}".strip()})


def _yuan_text(value) -> str:
    return money.yuan(value)


@register.filter
def yuan(value) -> str:
    """``{{ penalty.fine_amount|yuan }}`` → 5万元, 8,000元; empty for None."""
    return "" if value in (None, "") else _yuan_text(value)


@register.simple_tag
def yuan_range(low, high) -> str:
    """``{% yuan_range s.min s.max %}`` → 5万元至10万元; 1万元以下 from nothing; 5万元以上 without a ceiling."""
    if high in (None, ""):
        return f"{_yuan_text(low)}以上"
    if not low:
        return f"{_yuan_text(high)}以下"
    return f"{_yuan_text(low)}至{_yuan_text(high)}"


@register.filter
def wan(value) -> str:
    """An amount kept in 万元 (registered capital): ``{{ reg.registered_capital|wan }}`` → 100万元, 12.5万元 (never
    100.0000 万元); empty for None."""
    return money.wan(value)


@register.filter
def yuan_figure(value) -> str:
    """An amount in 元 for a cell under a header that names the unit (「违规收费（元）」): 12,345.60, 8,000."""
    return money.figure(value)


@register.filter
def with_division(address, division) -> str:
    """The address with its district in front, once: ``{{ app.address|with_division:app.division }}`` —
    "新华区" + "新华区建设路1号" reads 新华区建设路1号, not 新华区 新华区建设路1号; "建设路1号" reads 新华区建设路1号."""
    address = (address or "").strip()
    name = (division if isinstance(division, str) else getattr(division, "name", "") or "").strip()
    if not name:
        return address
    if not address:
        return name
    head = address[: len(name) + 8]  # the district may follow the province and city: 河南省平顶山市新华区…
    return address if name in head else f"{name}{address}"


@register.filter
def province(code) -> str:
    """A GB/T 2260 province code (the first two digits of a division code) as its name: ``11`` → 北京市."""
    from jianguan.core.divisions import province_name

    return province_name(code)


@register.filter
def pct(value) -> int:
    """A share as a whole percentage 0–100, for the ``pct-N`` width classes of a progress bar (the CSP allows no
    inline ``style``): ``<div class="progress-bar pct-{{ t.progress|pct }}">``."""
    try:
        return max(0, min(100, round(float(value))))
    except (TypeError, ValueError):
        return 0


@register.inclusion_tag("registers/_state.html")
def register_state(row):
    """On a register row's own page (a visit, a pilot, a batch…): the 已撤回 badge with the reason, date and who, and
    the link to the row's record (its corrections, withdrawal and restoration). Nothing for a model that is not a
    register's. ``{% register_state visit %}``."""
    from django.urls import reverse

    from jianguan.core import registers

    register_ = registers.register_of(row)
    if register_ is None or not register_.namespace:
        return {"row": None}
    return {"row": row, "withdrawal": registers.withdrawal_of(row), "register": register_,
            "record_url": reverse(f"{register_.namespace}:{register_.key}_row", args=[row.pk])}
