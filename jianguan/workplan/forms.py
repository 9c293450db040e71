from __future__ import annotations

import secrets

from django import forms

from jianguan.complaints.forms import MultipleFileField

from .models import Milestone, Target, Task


class ReportForm(forms.Form):
    """A progress report on one task: one field per reported (not live) target."""

    text = forms.CharField(label="进展情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=4000)
    progress = forms.IntegerField(label="完成进度（%）", min_value=0, max_value=100)
    milestone = forms.TypedChoiceField(label="对应节点", required=False, coerce=int, empty_value=None)
    completes_milestone = forms.BooleanField(label="该节点已完成", required=False)
    files = MultipleFileField(label="佐证材料", required=False,
                              help_text="JPG、PNG、PDF、Word，单个不超过 20 MB，最多 10 个")
    idempotency_key = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        self.task = task
        open_ms = [m for m in task.milestones.all() if not m.is_done]
        self.fields["milestone"].choices = [("", "（不针对具体节点）")] + [
            (m.pk, f"{m.seq}. {m.title}（{m.due_on:%Y-%m-%d}）") for m in open_ms]
        self.fields["progress"].initial = task.progress
        self.fields["idempotency_key"].initial = secrets.token_hex(16)
        for t in task.targets.all():
            if t.is_live:
                continue
            name = f"target_{t.pk}"
            label = f"{t.label}（目标：{'是' if t.kind == Target.Kind.YESNO else t.goal.normalize()}{t.unit_label}）"
            if t.kind == Target.Kind.YESNO:
                self.fields[name] = forms.TypedChoiceField(label=label, required=False, coerce=int, empty_value=None,
                                                           choices=[("", "—"), (1, "是"), (0, "否")])
            else:
                self.fields[name] = forms.DecimalField(label=label, required=False, min_value=0, max_digits=14,
                                                       decimal_places=2)
            if t.reported_value is not None:
                self.fields[name].initial = int(t.reported_value) if t.kind == Target.Kind.YESNO else t.reported_value

    def values(self) -> dict:
        return {k.removeprefix("target_"): v for k, v in self.cleaned_data.items()
                if k.startswith("target_") and v is not None}

    def chosen_milestone(self):
        pk = self.cleaned_data.get("milestone")
        return next((m for m in self.task.milestones.all() if m.pk == pk), None) if pk else None


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label="审核", choices=[("accept", "通过"), ("return", "退回")])
    note = forms.CharField(label="审核意见", required=False, max_length=500,
                           widget=forms.TextInput(attrs={"placeholder": "退回时必填"}))


class PeriodForm(forms.Form):
    """A month (2026-11) or a quarter (2026-Q4) for the progress report."""

    period = forms.RegexField(label="期间", regex=r"^\d{4}-(0[1-9]|1[0-2]|Q[1-4])$",
                              error_messages={"invalid": "期间格式应为 2026-11（月报）或 2026-Q4（季报）"})


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlanCopyForm(forms.Form):
    source = forms.ModelChoiceField(label="以哪个计划为基础", queryset=None, empty_label=None)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    code = forms.CharField(label="计划编号", max_length=40, help_text="如 PDS-2027")
    title = forms.CharField(label="计划名称", max_length=200)

    def __init__(self, *args, plans, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["source"].queryset = plans


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "description", "lead_unit", "co_units", "lead_person", "leader", "due_on"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3}), "due_on": DATE,
                   "co_units": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        from django.contrib.auth import get_user_model

        from jianguan.core.models import OrgUnit

        super().__init__(*args, **kwargs)
        units = OrgUnit.objects.filter(is_active=True, kind__in=["department", "district"]).order_by("path")
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["co_units"].required = False
        staff = get_user_model().objects.filter(is_active=True, profile__isnull=False).order_by("profile__unit__path",
                                                                                               "username")
        self.fields["lead_person"].queryset = staff
        self.fields["leader"].queryset = staff.filter(groups__name="bureau_leader")
        for name in ("lead_person", "leader"):
            self.fields[name].label_from_instance = lambda u: f"{u.get_full_name() or u.username}（{u.profile.unit.name}）"


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on"]
        widgets = {"due_on": DATE}


class TargetForm(forms.ModelForm):
    metric = forms.ChoiceField(label="数据来源", required=False)

    class Meta:
        model = Target
        fields = ["label", "kind", "direction", "goal", "unit_label", "metric"]

    def __init__(self, *args, **kwargs):
        from . import metrics

        super().__init__(*args, **kwargs)
        self.fields["metric"].choices = [("", "单位报送（督查室审核）")] + metrics.choices()
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field.widget, forms.Select) else "form-control form-control-sm"
            if not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["class"] = css


MilestoneFormSet = forms.inlineformset_factory(Task, Milestone, form=MilestoneForm, extra=1, can_delete=True)
TargetFormSet = forms.inlineformset_factory(Task, Target, form=TargetForm, extra=1, can_delete=True)
