"""Forms of the inspections workbench. They only collect input; the services decide."""

from __future__ import annotations

import decimal

from django import forms
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.registry.models import EntityKind, EntityStatus, LicenceKind

from .models import AssignmentMode, InspectionItem, InspectionMethod, InspectionPlan, ResultCategory
from .rules import RISK_CLASSES

RISK_LABELS = {
    "A": "A 类（低风险）",
    "B": "B 类（一般风险，含无分类记录的主体）",
    "C": "C 类（较高风险）",
    "D": "D 类（高风险）",
}


def _lines(text: str) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ItemForm(forms.Form):
    code = forms.CharField(label="事项编码", max_length=20)
    name = forms.CharField(label="抽查事项", max_length=100)
    legal_basis = forms.CharField(
        label="检查依据",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="法律、法规、规章条款；没有依据的事项不得抽查",
    )
    department = forms.CharField(label="责任科室/部门", max_length=60)
    object_type = forms.CharField(label="检查对象", max_length=60)
    method = forms.ChoiceField(label="检查方式", choices=InspectionMethod.choices)
    checklist = forms.CharField(
        label="检查内容", widget=forms.Textarea(attrs={"rows": 5}), help_text="一行一条检查要点"
    )
    frequency = forms.CharField(label="抽查频次", max_length=60, required=False)
    sort = forms.IntegerField(label="排序", min_value=0, initial=0)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)

    @classmethod
    def for_item(cls, item: InspectionItem | None, data=None):
        initial = None
        if item is not None:
            initial = {
                f: getattr(item, f)
                for f in (
                    "code",
                    "name",
                    "legal_basis",
                    "department",
                    "object_type",
                    "method",
                    "frequency",
                    "sort",
                    "is_active",
                )
            }
            initial["checklist"] = "\n".join(item.checklist)
        return cls(data, initial=initial)

    def service_data(self) -> dict:
        data = dict(self.cleaned_data)
        data["checklist"] = _lines(data["checklist"])
        return data


class PlanForm(forms.Form):
    """An annual plan: items, object-list filters, ratios per risk class, team size and limits."""

    title = forms.CharField(label="计划名称", max_length=120)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    description = forms.CharField(label="说明", widget=forms.Textarea(attrs={"rows": 2}), required=False)
    items = forms.ModelMultipleChoiceField(
        label="抽查事项", queryset=InspectionItem.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    joint_departments = forms.CharField(
        label="联合抽查部门",
        max_length=200,
        required=False,
        help_text="部门联合抽查时填写（如：区税务局、区生态环境分局），“进一次门、查多项事”",
    )
    assignment = forms.ChoiceField(
        label="检查人员分配方式",
        choices=AssignmentMode.choices,
        widget=forms.RadioSelect,
        initial=AssignmentMode.STATION,
    )
    filter_units = forms.ModelMultipleChoiceField(
        label="监管单位（为空表示全部）",
        queryset=OrgUnit.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    filter_kinds = forms.MultipleChoiceField(
        label="主体类型（为空表示全部）",
        choices=EntityKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    filter_industries = forms.CharField(label="行业（门类字母或大类代码，逗号分隔；为空表示全部）", required=False)
    filter_licence_kinds = forms.ModelMultipleChoiceField(
        label="持有有效许可（为空表示不限）",
        queryset=LicenceKind.objects.all(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    filter_statuses = forms.MultipleChoiceField(
        label="登记状态（为空表示仅存续）",
        choices=EntityStatus.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    exclusion_months = forms.IntegerField(label="同一事项排除期（月）", min_value=0, max_value=120)
    min_age_months = forms.IntegerField(label="成立不满几个月不抽", min_value=0, max_value=120)
    team_size = forms.IntegerField(label="检查组人数", min_value=2, max_value=10)
    complete_by = forms.DateField(
        label="检查完成期限",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="任务以此为结果录入期限；为空时按抽取之日起的工作日计算",
    )
    max_tasks = forms.IntegerField(label="每人每批次最多任务数", min_value=1, max_value=1000)

    def __init__(self, *args, unit: OrgUnit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["items"].queryset = InspectionItem.objects.filter(is_active=True)
        self.fields["filter_units"].queryset = OrgUnit.objects.filter(path__startswith=unit.path, is_active=True)
        for name in RISK_CLASSES:
            self.fields[f"ratio_{name}"] = forms.DecimalField(
                label=f"{RISK_LABELS[name]} 抽查比例（%）", min_value=0, max_value=100, decimal_places=4
            )
            self.fields[f"quota_{name}"] = forms.IntegerField(
                label=f"{name} 类指定抽取数（可选，填写后不按比例）", min_value=0, required=False
            )

    @classmethod
    def initial_for(cls, plan: InspectionPlan | None, defaults: dict) -> dict:
        source = plan or defaults
        get = (lambda k: getattr(plan, k)) if plan else (lambda k: defaults.get(k))
        initial = {
            k: get(k)
            for k in (
                "title",
                "year",
                "description",
                "joint_departments",
                "assignment",
                "filter_kinds",
                "filter_statuses",
                "exclusion_months",
                "min_age_months",
                "team_size",
                "max_tasks",
                "complete_by",
            )
        }
        ratios = source.ratios if plan else defaults["ratios"]
        for name in RISK_CLASSES:
            initial[f"ratio_{name}"] = (decimal.Decimal(str(ratios.get(name, "0"))) * 100).normalize()
            if plan and name in plan.quota_overrides:
                initial[f"quota_{name}"] = plan.quota_overrides[name]
        if plan:
            initial["items"] = list(plan.items.all())
            initial["filter_units"] = list(plan.filter_units.all())
            initial["filter_industries"] = ",".join(plan.filter_industries)
            initial["filter_licence_kinds"] = list(LicenceKind.objects.filter(code__in=plan.filter_licence_kinds))
        return initial

    def service_data(self) -> dict:
        d = self.cleaned_data
        return {
            "title": d["title"],
            "description": d["description"],
            "joint_departments": d["joint_departments"],
            "assignment": d["assignment"],
            "filter_kinds": list(d["filter_kinds"]),
            "filter_industries": [
                c.strip().upper() for c in d["filter_industries"].replace("，", ",").split(",") if c.strip()
            ],
            "filter_licence_kinds": [k.code for k in d["filter_licence_kinds"]],
            "filter_statuses": list(d["filter_statuses"]),
            "exclusion_months": d["exclusion_months"],
            "min_age_months": d["min_age_months"],
            "team_size": d["team_size"],
            "max_tasks": d["max_tasks"],
            "complete_by": d.get("complete_by"),
            "ratios": {name: str((d[f"ratio_{name}"] / 100).normalize()) for name in RISK_CLASSES},
            "quota_overrides": {
                name: d[f"quota_{name}"] for name in RISK_CLASSES if d.get(f"quota_{name}") is not None
            },
            "items": list(d["items"]),
            "filter_units": list(d["filter_units"]),
        }


class BatchForm(forms.Form):
    beacon = forms.CharField(
        label="公开随机源",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="事先写明将采用哪一个尚未产生的公开随机数，如：福利彩票3D 2026年第320期开奖号码",
    )
    draw_date = forms.DateField(label="计划抽取日期", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class RandomnessForm(forms.Form):
    randomness = forms.CharField(
        label="随机源公布的值",
        max_length=500,
        help_text="与随机源公布的完全一致地录入（首尾空格会被去掉）；录入后立即抽取，不能更改",
    )


class RedrawForm(BatchForm):
    reason = forms.CharField(label="重新抽取原因", widget=forms.Textarea(attrs={"rows": 2}))


class ConflictForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=18)
    reason = forms.CharField(label="回避事由", max_length=200, help_text="如：近亲属在该企业任职")
    valid_until = forms.DateField(
        label="有效期至（可选）", required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )


class ResultForm(forms.Form):
    """The result of one task: one category (and notes, checklist) per item of the plan."""

    inspected_on = forms.DateField(label="检查日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    notes = forms.CharField(label="检查情况", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, items: list[InspectionItem], results: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        results = results or {}
        self.fields["inspected_on"].initial = timezone.localdate()
        self.item_fields = []
        for item in items:
            previous = results.get(item.pk)
            category = forms.ChoiceField(
                label=f"「{item.name}」检查结果", choices=[("", "请选择")] + list(ResultCategory.choices)
            )
            notes = forms.CharField(
                label=f"「{item.name}」情况说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
            )
            checks = forms.MultipleChoiceField(
                label=f"「{item.name}」检查要点（勾选表示符合）",
                required=False,
                choices=[(str(i), text) for i, text in enumerate(item.checklist)],
                widget=forms.CheckboxSelectMultiple,
            )
            if previous is not None:
                category.initial = previous.category
                notes.initial = previous.notes
                checks.initial = [str(i) for i, c in enumerate(previous.checklist) if c.get("ok")]
            self.fields[f"category_{item.pk}"] = category
            self.fields[f"notes_{item.pk}"] = notes
            self.fields[f"check_{item.pk}"] = checks
            self.item_fields.append(
                {
                    "item": item,
                    "category": f"category_{item.pk}",
                    "notes": f"notes_{item.pk}",
                    "check": f"check_{item.pk}",
                }
            )

    def rows(self):
        return [
            {"item": f["item"], "category": self[f["category"]], "notes": self[f["notes"]], "check": self[f["check"]]}
            for f in self.item_fields
        ]

    def service_results(self) -> list[dict]:
        out = []
        for item in self.items:
            ticked = set(self.cleaned_data[f"check_{item.pk}"])
            out.append(
                {
                    "item": item.pk,
                    "category": self.cleaned_data[f"category_{item.pk}"],
                    "notes": self.cleaned_data[f"notes_{item.pk}"],
                    "checklist": [{"text": text, "ok": str(i) in ticked} for i, text in enumerate(item.checklist)],
                }
            )
        return out


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="照片或附件（JPEG、PNG、PDF）",
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )


class DecisionForm(forms.Form):
    note = forms.CharField(label="审核意见", max_length=200, required=False)
