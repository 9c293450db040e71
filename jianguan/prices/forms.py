from __future__ import annotations

from django import forms
from django.utils import timezone


class PortalReportForm(forms.Form):
    """An outlet's own report for one day: one price field per listed goods (blank: not sold that day)."""

    reported_on = forms.DateField(label="价格日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, goods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()
        self.goods = list(goods)
        for g in self.goods:
            self.fields[f"g{g.pk}"] = forms.DecimalField(
                label=f"{g.name}（{g.price_unit}）", required=False, min_value=0, max_digits=10, decimal_places=2,
                help_text=g.spec)

    def prices(self):
        return [(g, self.cleaned_data.get(f"g{g.pk}")) for g in self.goods
                if self.cleaned_data.get(f"g{g.pk}") is not None]
