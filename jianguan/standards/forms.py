from __future__ import annotations

from django import forms

from .models import Stage

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MilestoneForm(forms.Form):
    name = forms.CharField(label="节点", max_length=100)
    due_on = forms.DateField(label="计划完成日期", widget=DATE)


class MilestoneDoneForm(forms.Form):
    milestone = forms.IntegerField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="完成情况", max_length=300, required=False)


class AdvanceForm(forms.Form):
    to = forms.ChoiceField(label="进入阶段", choices=Stage.choices, widget=forms.HiddenInput)
    on = forms.DateField(label="日期", widget=DATE)
    comments_until = forms.DateField(label="征求意见截止", required=False, widget=DATE)
    comments_received = forms.IntegerField(label="收到意见（条）", required=False, min_value=0)
    number = forms.CharField(label="标准编号", max_length=60, required=False, help_text="如 DB4104/T 12-2026")

    def __init__(self, *args, stage: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        keep = {"to", "on", {"comments": "comments_until", "review": "comments_received",
                             "published": "number"}.get(stage or "", "")}
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
