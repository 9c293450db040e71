from __future__ import annotations

from django import forms

from .models import RightKind


class CaseFactsForm(forms.Form):
    right_kind = forms.ChoiceField(label="被侵犯的权利", choices=RightKind.choices)
    registration_no = forms.CharField(label="权利登记号", max_length=40,
                                      help_text="商标注册号（如 4409718）、专利号（如 ZL201080063196.9）或地理标志公告号")
    right_holder = forms.CharField(label="权利人", max_length=200)
    goods = forms.CharField(label="涉案商品", max_length=300, required=False)
    goods_seized_qty = forms.IntegerField(label="查扣侵权商品数量", min_value=0, initial=0)
    goods_seized_unit = forms.CharField(label="计量单位", max_length=10, initial="件")


class IdentificationStartForm(forms.Form):
    starts_on = forms.DateField(label="送权利人辨认日期", widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label="说明", max_length=300, required=False,
                           help_text="如：涉案白酒 120 瓶送商标权利人辨认")


class IdentificationEndForm(forms.Form):
    ends_on = forms.DateField(label="权利人出具辨认意见日期", widget=forms.DateInput(attrs={"type": "date"}))


class StatisticsForm(forms.Form):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100,
                              widget=forms.NumberInput(attrs={"class": "form-control form-control-sm"}))
    start = forms.DateField(label="起始日期", required=False,
                            widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))
    end = forms.DateField(label="截止日期", required=False,
                          widget=forms.DateInput(attrs={"type": "date", "class": "form-control form-control-sm"}))

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "截止日期不能早于起始日期")
        return data
