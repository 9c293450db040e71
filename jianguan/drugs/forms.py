from __future__ import annotations

from django import forms
from django.utils import timezone

from .models import CampaignKind


class CampaignForm(forms.Form):
    kind = forms.ChoiceField(label="专项", choices=CampaignKind.choices)
    year = forms.IntegerField(label="年度", min_value=2020, max_value=2100)
    unit = forms.TypedChoiceField(label="组织单位", coerce=int)
    title = forms.CharField(label="计划名称", max_length=120, required=False, help_text="留空则为“年度 + 专项名称”")

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]
        self.fields["year"].initial = timezone.localdate().year


class AssessForm(forms.Form):
    assessment = forms.CharField(label="审核评价意见", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
