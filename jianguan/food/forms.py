from __future__ import annotations

from django import forms


class RenewForm(forms.Form):
    expected_until = forms.DateField(widget=forms.HiddenInput)


class CancelForm(forms.Form):
    reason = forms.CharField(label="注销原因", max_length=200)


ANSWERS = (("yes", "符合"), ("no", "不符合"))


class GradingForm(forms.Form):
    """The grading checklist of the rule in force: one yes/no per item. Items are not required here, so that an
    incomplete checklist reaches the service, which refuses it naming the item."""

    entity = forms.CharField(label="餐饮单位统一社会信用代码", max_length=18)
    inspected_on = forms.DateField(label="检查日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args, checklist: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.checklist = checklist
        for n, item in enumerate(checklist, 1):
            label = f"{n}. {item['label']}（{item['weight']} 分{'，关键项' if item.get('key') else ''}）"
            self.fields[f"item_{item['code']}"] = forms.ChoiceField(
                label=label, choices=ANSWERS, required=False, widget=forms.RadioSelect)
        self.fields["note"] = forms.CharField(label="检查意见", max_length=300, required=False,
                                              widget=forms.Textarea(attrs={"rows": 2}))

    def answers(self) -> dict[str, bool]:
        out = {}
        for item in self.checklist:
            value = self.cleaned_data.get(f"item_{item['code']}")
            if value in ("yes", "no"):
                out[item["code"]] = value == "yes"
        return out


class DesignationApplyForm(forms.Form):
    entity = forms.CharField(label="餐饮单位统一社会信用代码", max_length=18)
    kind = forms.ChoiceField(label="认定类别", choices=(("bright_kitchen", "明厨亮灶"),
                                                        ("demo_shop", "餐饮服务食品安全示范店")))
    applied_on = forms.DateField(label="申报日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class DesignationReviewForm(forms.Form):
    def __init__(self, *args, criteria: list[dict], **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for n, c in enumerate(criteria, 1):
            self.fields[f"c_{c['code']}"] = forms.ChoiceField(label=f"{n}. {c['label']}", required=False,
                                                              choices=(("yes", "符合"), ("no", "不符合")),
                                                              widget=forms.RadioSelect)
        self.fields["note"] = forms.CharField(label="评审意见", max_length=300, required=False)

    def met(self) -> dict[str, bool]:
        return {c["code"]: self.cleaned_data[f"c_{c['code']}"] == "yes" for c in self.criteria
                if self.cleaned_data.get(f"c_{c['code']}") in ("yes", "no")}
