"""Workbench forms. They only shape the input; the services check the rules and name the field at fault."""

from __future__ import annotations

from django import forms

from . import categories
from .models import Accident, Conclusion, DeviceStatus, Hazard, OperatorCertificate
from .schedule import KIND_LABELS

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _date(label: str, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DATE)


CATEGORY_CHOICES = [("", "—— 选择类别 ——")] + [(c, f"{c} {n}") for c, n in categories.CATEGORIES.items()]


def _param_fields() -> dict[str, forms.Field]:
    fields: dict[str, forms.Field] = {}
    for required, optional in categories.PARAMS.values():
        for p in required + optional:
            if p.key in fields:
                continue
            label = f"{p.label}（{p.unit}）" if p.unit else p.label
            if p.kind == "choice":
                fields[f"p_{p.key}"] = forms.ChoiceField(label=label, required=False,
                                                         choices=[("", "——")] + list(p.choices))
            else:
                fields[f"p_{p.key}"] = forms.CharField(label=label, required=False, max_length=60)
    return fields


class DeviceForm(forms.Form):
    code = forms.CharField(label="设备代码", max_length=40)
    category = forms.ChoiceField(label="设备类别", choices=CATEGORY_CHOICES)
    name = forms.CharField(label="设备名称/型号", max_length=100, required=False)
    uscc = forms.CharField(label="使用单位统一社会信用代码", max_length=18)
    location = forms.CharField(label="设备使用地点", max_length=200)
    registration_no = forms.CharField(label="使用登记证编号", max_length=40, required=False)
    registered_on = _date("使用登记日期", False)
    commissioned_on = _date("投入使用日期")
    manufacturer = forms.CharField(label="制造单位", max_length=100, required=False)
    installer = forms.CharField(label="安装单位", max_length=100, required=False)
    maintainer = forms.CharField(label="维护保养单位（电梯）", max_length=100, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields.update(_param_fields())

    def params(self) -> dict:
        return {k[2:]: v for k, v in self.cleaned_data.items() if k.startswith("p_") and v not in (None, "")}


class InspectionForm(forms.Form):
    kind = forms.ChoiceField(label="检验种类", choices=list(KIND_LABELS.items()))
    inspected_on = _date("检验日期")
    body = forms.CharField(label="检验机构", max_length=100)
    report_no = forms.CharField(label="报告编号", max_length=40, required=False)
    conclusion = forms.ChoiceField(label="检验结论", choices=Conclusion.choices)
    note = forms.CharField(label="备注", max_length=200, required=False)

    def __init__(self, *args, kinds=None, **kwargs):
        super().__init__(*args, **kwargs)
        if kinds:
            self.fields["kind"].choices = [(k, KIND_LABELS[k]) for k in kinds]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label="新状态", choices=DeviceStatus.choices)
    on = _date("变更日期")
    reason = forms.CharField(label="原因", max_length=200)


class HazardForm(forms.Form):
    found_on = _date("发现日期")
    description = forms.CharField(label="隐患描述", max_length=300)
    level = forms.ChoiceField(label="等级", choices=Hazard.Level.choices)
    deadline = _date("整改期限", False)


class RectifyForm(forms.Form):
    on = _date("整改完成日期")
    rectification = forms.CharField(label="整改情况", max_length=300)


class AccidentForm(forms.Form):
    occurred_on = _date("发生日期")
    level = forms.ChoiceField(label="事故等级", choices=Accident.Level.choices)
    deaths = forms.IntegerField(label="死亡人数", min_value=0, initial=0)
    injuries = forms.IntegerField(label="受伤人数", min_value=0, initial=0)
    description = forms.CharField(label="经过和原因", widget=forms.Textarea(attrs={"rows": 3}))


class CertificateForm(forms.Form):
    uscc = forms.CharField(label="聘用单位统一社会信用代码", max_length=18)
    holder = forms.CharField(label="持证人", max_length=50)
    number = forms.CharField(label="证书编号", max_length=40)
    kind = forms.ChoiceField(label="作业项目", choices=OperatorCertificate.KINDS)
    issued_on = _date("发证日期")
    expires_on = _date("有效期至（留空按规则计算）", False)


class CampaignForm(forms.Form):
    title = forms.CharField(label="名称", max_length=100)
    tag = forms.CharField(label="标签", max_length=20, help_text="如：气瓶、电梯、大型游乐设施")
    categories = forms.CharField(label="设备类别代码", max_length=100, help_text="以逗号分隔，如 2300 或 3100,3300")
    checklist = forms.CharField(label="检查项目", widget=forms.Textarea(attrs={"rows": 4}), help_text="每行一项")
    starts_on = _date("开始日期")
    ends_on = _date("结束日期")


class ImportForm(forms.Form):
    file = forms.FileField(label="设备台账文件（.xlsx）")
