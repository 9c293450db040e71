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


class PortalMovementForm(forms.Form):
    tracing_code = forms.CharField(label="追溯码", max_length=40)
    direction = forms.ChoiceField(label="方向", choices=(("in", "入库（收货）"), ("out", "出库（发货、销售、使用）")))
    quantity = forms.DecimalField(label="数量", max_digits=14, decimal_places=3, min_value=0)
    moved_on = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    counterparty = forms.CharField(label="来源/去向单位统一社会信用代码", max_length=18, required=False,
                                   help_text="入库填供货单位，出库填收货单位；销售给消费者的可不填")
    note = forms.CharField(label="备注", max_length=200, required=False)
