from __future__ import annotations

from django import forms

from .models import ABNORMAL_GROUNDS, SERIOUS_GROUNDS, AnnualReport, Ground, InstantInfo, PenaltySector
from .services import REPORT_FIELDS

DATE = forms.DateInput(attrs={"type": "date"})

# (title, visibility, fields): what the filing form shows together, and whether the public sees it.
REPORT_SECTIONS = [
    ("基本信息", "公示", ("address", "postal_code", "operating_status")),
    ("联系方式", "不公示（仅监管部门可见）", ("phone", "email")),
    ("从业人数", "企业选择是否公示", ("employees", "public_employees")),
    ("资产状况（万元）", "企业选择是否公示",
     ("total_assets", "total_liabilities", "revenue", "profit", "net_profit", "tax", "public_financials")),
    ("社保信息", "公示", ("insured_employees",)),
    ("网站或网店、对外投资", "公示", ("websites", "investments")),
    ("对外提供保证担保", "企业选择是否公示", ("guarantees", "public_guarantees")),
]


class AnnualReportForm(forms.ModelForm):
    class Meta:
        model = AnnualReport
        fields = list(REPORT_FIELDS)
        widgets = {f: forms.Textarea(attrs={"rows": 2}) for f in ("websites", "investments", "guarantees")}

    def sections(self):
        return [{"title": t, "visibility": v, "fields": [self[f] for f in fs]} for t, v, fs in REPORT_SECTIONS]


class InstantInfoForm(forms.Form):
    kind = forms.ChoiceField(label="信息类别", choices=InstantInfo.Kind.choices)
    content = forms.CharField(label="信息内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)
    arose_on = forms.DateField(label="信息形成日期", widget=DATE)


class ListEnterForm(forms.Form):
    ground = forms.ChoiceField(label="列入事由", choices=[(g.value, g.label) for g in ABNORMAL_GROUNDS])
    facts = forms.CharField(label="事实和依据", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    report_year = forms.IntegerField(label="未报年度（事由为未报年报时）", required=False, min_value=2000)


class RemoveForm(forms.Form):
    reason = forms.CharField(label="移出原因", max_length=200)


class SeriousProposeForm(forms.Form):
    ground = forms.ChoiceField(label="列入情形", choices=[(g.value, g.label) for g in SERIOUS_GROUNDS
                                                       if g != Ground.ABNORMAL_THREE_YEARS])
    penalty_ref = forms.CharField(label="行政处罚决定书文号", max_length=60)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class RejectForm(forms.Form):
    reason = forms.CharField(label="理由", max_length=200)


class RepairForm(forms.Form):
    KIND_LIST = "list_removal"
    kind = forms.ChoiceField(label="修复类型", choices=[("list_removal", "申请移出名录（名单）"),
                                                     ("penalty_publication", "申请提前停止公示行政处罚信息")])
    list_entry = forms.TypedChoiceField(label="名录记录", coerce=int, required=False, empty_value=None)
    penalty_ref = forms.CharField(label="行政处罚决定书文号", max_length=60, required=False)
    penalty_sector = forms.ChoiceField(label="处罚领域", choices=[("", "—")] + PenaltySector.choices, required=False)
    penalty_published_on = forms.DateField(label="处罚信息公示日期", widget=DATE, required=False)
    statement = forms.CharField(label="申请理由及信用承诺", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)

    def __init__(self, *args, entries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["list_entry"].choices = [("", "—")] + [
            (e.pk, f"{e.get_list_kind_display()}：{e.get_ground_display()}（{e.decision_no}）") for e in entries]
