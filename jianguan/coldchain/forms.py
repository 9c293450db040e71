from __future__ import annotations

from django import forms

from .models import Reason


class TraceForm(forms.Form):
    reason = forms.ChoiceField(label="原因", choices=Reason.choices)
    origin = forms.TypedChoiceField(label="发现环节（持有单位）", coerce=int)
    detected_on = forms.DateField(label="发现日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label="情况说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, holders=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin"].choices = [(e.pk, f"{e.name}（{e.uscc}）") for e in holders]


class TaskForm(forms.Form):
    result = forms.CharField(label="处置结果", max_length=300)
