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


DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class DisposalOpenForm(forms.Form):
    """Start a 核查处置 from a failed food sample (its number) or a food complaint/report (its number)."""

    sample = forms.CharField(label="不合格样品编号", max_length=40, required=False,
                             help_text="已送达不合格检验结论的食品抽检样品；产品、批号和不合格项目取自样品")
    complaint = forms.CharField(label="投诉举报编号", max_length=20, required=False,
                                help_text="食品或餐饮类投诉举报，须已关联市场主体")
    product = forms.CharField(label="食品名称", max_length=100, required=False)
    batch_no = forms.CharField(label="批号/生产日期", max_length=60, required=False)
    problem = forms.CharField(label="问题", max_length=300, required=False)
    opened_on = forms.DateField(label="启动日期", required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        if bool((data.get("sample") or "").strip()) == bool((data.get("complaint") or "").strip()):
            raise forms.ValidationError("请填写不合格样品编号或投诉举报编号中的一项")
        return data


class StepForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput)
    done_on = forms.DateField(label="完成日期", widget=DATE)
    note = forms.CharField(label="说明", max_length=200, required=False)


class RecallOrderForm(forms.Form):
    level = forms.ChoiceField(label="召回级别", choices=(("1", "一级召回（可能导致严重健康损害甚至死亡）"),
                                                      ("2", "二级召回（可能导致一般健康损害）"),
                                                      ("3", "三级召回（标签、标识虚假标注）")))
    known_at = forms.DateTimeField(label="知悉食品安全风险时间", widget=DATETIME,
                                   input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])


class RecallAnnounceForm(forms.Form):
    started_at = forms.DateTimeField(label="启动召回时间", widget=DATETIME,
                                     input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
    announced_on = forms.DateField(label="召回公告发布日期", widget=DATE)


class RecallCompleteForm(forms.Form):
    on = forms.DateField(label="完成召回日期", widget=DATE)
    result = forms.CharField(label="召回数量和处置情况", max_length=300)


class DisposalCloseForm(forms.Form):
    on = forms.DateField(label="办结日期", widget=DATE)
    conclusion = forms.CharField(label="核查处置结论（将在门户公开）", max_length=500,
                                 widget=forms.Textarea(attrs={"rows": 3}))
