from __future__ import annotations

from django import forms

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanForm(forms.Form):
    code = forms.CharField(label="计划编号", max_length=30)
    title = forms.CharField(label="名称", max_length=120)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    standard = forms.ChoiceField(label="产品类别与判定标准")

    def __init__(self, *args, standards=(), districts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["standard"].choices = [(s.pk, f"{s.category.name} · {s.code} {s.title}") for s in standards]
        for d in districts:
            self.fields[f"q_{d.code}"] = forms.IntegerField(label=f"{d.short_name or d.name} 抽样数", min_value=0,
                                                            initial=0, required=False)

    def quotas(self) -> dict[str, int]:
        return {k[2:]: v or 0 for k, v in self.cleaned_data.items() if k.startswith("q_")}


class SampleForm(forms.Form):
    product_name = forms.CharField(label="产品名称", max_length=100)
    brand_model = forms.CharField(label="商标/规格型号", max_length=100, required=False)
    batch_no = forms.CharField(label="生产批号", max_length=40, required=False)
    produced_on = forms.DateField(label="生产日期", required=False, widget=DATE)
    quantity = forms.CharField(label="抽样数量", max_length=40)
    sampled_on = forms.DateField(label="抽样日期", widget=DATE)
    seal_no = forms.CharField(label="封样编号", max_length=40)
    sampler_signed = forms.BooleanField(label="抽样人员已签字", required=False)
    producer_signed = forms.BooleanField(label="被抽样单位已签字", required=False)
    photo = forms.FileField(label="现场照片（JPEG、PNG）", required=False,
                            widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,image/jpeg,image/png"}))


class CustodyForm(forms.Form):
    on = forms.DateField(label="流转日期", widget=DATE)
    handed_by = forms.CharField(label="移交方", max_length=60)
    received_by = forms.CharField(label="接收方", max_length=60)
    seal_intact = forms.BooleanField(label="封样完好", required=False, initial=True)
    note = forms.CharField(label="说明", max_length=200, required=False)


class LabForm(forms.Form):
    lab = forms.CharField(label="检验机构", max_length=100)
    report_no = forms.CharField(label="检验报告编号", max_length=40)
    tested_on = forms.DateField(label="检验完成日期", widget=DATE)


class DateForm(forms.Form):
    on = forms.DateField(label="日期", widget=DATE)
