"""Workbench forms of enforcement: filters and one form per step of a lead or a case."""

from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from .models import (
    Campaign,
    CaseStatus,
    Evidence,
    LeadSource,
    LeadStatus,
    LegalReview,
    Outcome,
    PartyKind,
    PauseReason,
    PenaltyKind,
    Seizure,
    Service,
)
from .rules import case_types, circumstance_choices

DATE = forms.DateInput(attrs={"type": "date"})


def _date(label="日期", required=True):
    return forms.DateField(label=label, widget=DATE, required=required, initial=timezone.localdate)


def officer_choices(user):
    """Staff in the user's scope who hold an enforcement credential (validity is checked by the service)."""
    from jianguan.core.scope import scope_for

    qs = get_user_model().objects.filter(profile__isnull=False, is_active=True).exclude(profile__credential_no="")
    scope = scope_for(user)
    if not scope.everything:
        qs = qs.filter(profile__unit_id__in=scope.unit_ids)
    return qs.select_related("profile").order_by("profile__unit__path", "username")


class OfficerField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.get_full_name() or obj.username}（{obj.profile.credential_no}）"


class LeadFilterForm(forms.Form):
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), ("open", "待决定"), *LeadStatus.choices])
    source_kind = forms.ChoiceField(label="来源", required=False, choices=[("", "全部"), *LeadSource.choices])
    overdue = forms.BooleanField(label="仅超期", required=False)


class CaseFilterForm(forms.Form):
    q = forms.CharField(label="编号或当事人", required=False)
    status = forms.ChoiceField(label="状态", required=False,
                               choices=[("", "全部"), ("open", "未决定"), *CaseStatus.choices])
    case_type = forms.ChoiceField(label="案件类型", required=False)
    unit = forms.ChoiceField(label="承办单位", required=False)
    officer = forms.TypedChoiceField(label="办案人员", required=False, coerce=int, empty_value=None)
    campaign = forms.ChoiceField(label="专项行动", required=False)
    overdue = forms.BooleanField(label="仅超期", required=False)
    mine = forms.BooleanField(label="我承办的", required=False)

    def __init__(self, *args, units=(), officers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = [("", "全部"), *case_types()]
        self.fields["unit"].choices = [("", "全部"), *[(u.code, u.short_name or u.name) for u in units]]
        self.fields["officer"].choices = [("", "全部"), *[(u.pk, u.get_full_name() or u.username) for u in officers]]
        self.fields["campaign"].choices = [("", "全部"), *Campaign.objects.values_list("code", "name")]


class LeadNewForm(forms.Form):
    source_kind = forms.ChoiceField(label="线索来源", choices=LeadSource.choices, initial=LeadSource.MANUAL)
    uscc = forms.CharField(label="统一社会信用代码（登记主体）", required=False, max_length=18)
    party_name = forms.CharField(label="当事人名称（未登记主体）", required=False, max_length=200)
    party_address = forms.CharField(label="当事人地址", required=False, max_length=200)
    description = forms.CharField(label="线索内容", widget=forms.Textarea(attrs={"rows": 3}))
    discovered_on = _date("发现日期")


class StartCheckForm(forms.Form):
    note = forms.CharField(label="核查安排", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label="延长理由", max_length=300)
    on = _date("批准日期")


class PauseForm(forms.Form):
    reason = forms.ChoiceField(label="事由", choices=PauseReason.choices)
    starts_on = _date("开始日期")
    note = forms.CharField(label="说明", required=False, max_length=300)


class PauseEndForm(forms.Form):
    pause = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = _date("结束日期")


class FilingDecisionForm(forms.Form):
    note = forms.CharField(label="审批意见", max_length=300, required=False, initial="同意立案")
    on = _date("批准日期")


class FilingReturnForm(forms.Form):
    note = forms.CharField(label="退回理由", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))


class DeclineForm(forms.Form):
    status = forms.ChoiceField(label="决定", choices=[(LeadStatus.NOT_FILED, "不予立案"),
                                                     (LeadStatus.TRANSFERRED, "移送")])
    note = forms.CharField(label="理由", widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("决定日期")


class FileForm(forms.Form):
    case_type = forms.ChoiceField(label="案件类型")
    title = forms.CharField(label="案由", max_length=300)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    officers = OfficerField(label="办案人员（至少两名持有效执法证件）", queryset=get_user_model().objects.none(),
                            widget=forms.CheckboxSelectMultiple)
    campaigns = forms.ModelMultipleChoiceField(label="专项行动", required=False, queryset=Campaign.objects.none(),
                                               widget=forms.CheckboxSelectMultiple)
    on = _date("立案日期")
    late_reason = forms.CharField(label="逾期立案理由（仅延长后仍逾期时）", required=False, max_length=300)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = case_types()
        self.fields["officers"].queryset = officer_choices(user)
        self.fields["campaigns"].queryset = Campaign.objects.filter(is_active=True)


class SimplifiedForm(forms.Form):
    case_type = forms.ChoiceField(label="案件类型")
    title = forms.CharField(label="案由", max_length=300)
    party_kind = forms.ChoiceField(label="当事人类型", choices=PartyKind.choices)
    party_name = forms.CharField(label="当事人名称（未登记主体或自然人）", required=False, max_length=200)
    uscc = forms.CharField(label="统一社会信用代码（登记主体）", required=False, max_length=18)
    kinds = forms.MultipleChoiceField(label="处罚种类", widget=forms.CheckboxSelectMultiple,
                                      choices=[(PenaltyKind.WARNING, "警告"), (PenaltyKind.FINE, "罚款")])
    fine_amount = forms.DecimalField(label="罚款（元）", required=False, min_value=0, decimal_places=2)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 2}))
    legal_basis = forms.CharField(label="处罚依据", max_length=500)
    officers = OfficerField(label="执法人员（至少两名）", queryset=get_user_model().objects.none(),
                            widget=forms.CheckboxSelectMultiple)
    recipient = forms.CharField(label="当场签收人", max_length=100)
    paid_on_the_spot = forms.BooleanField(label="当场收缴罚款", required=False)
    receipt_no = forms.CharField(label="罚款收据号", required=False, max_length=60)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_type"].choices = case_types()
        self.fields["officers"].queryset = officer_choices(user)


class OfficersForm(forms.Form):
    officers = OfficerField(label="办案人员", queryset=get_user_model().objects.none(),
                            widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officers"].queryset = officer_choices(user)


class CollectiveForm(forms.Form):
    days = forms.IntegerField(label="再延长（日）", min_value=1, max_value=365)
    decision_no = forms.CharField(label="集体讨论记录编号", max_length=60)
    on = _date("集体讨论日期")


class EvidenceForm(forms.Form):
    kind = forms.ChoiceField(label="证据种类", choices=Evidence.Kind.choices)
    description = forms.CharField(label="证据内容", max_length=500)
    collected_on = _date("取证日期")
    source = forms.CharField(label="来源", required=False, max_length=200)
    file = forms.FileField(label="附件", required=False)


class SeizureForm(forms.Form):
    measure = forms.ChoiceField(label="措施", choices=Seizure.Measure.choices)
    items = forms.CharField(label="场所、设施或者财物清单", widget=forms.Textarea(attrs={"rows": 2}))
    place = forms.CharField(label="存放地点", required=False, max_length=200)
    decided_on = _date("决定日期")


class SeizureActForm(forms.Form):
    seizure = forms.IntegerField(widget=forms.HiddenInput)
    on = _date("日期")
    note = forms.CharField(label="说明", required=False, max_length=300)
    disposed = forms.BooleanField(label="依决定没收/销毁（而非解除返还）", required=False)


class ConcludeForm(forms.Form):
    report = forms.CharField(label="调查终结报告", widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label="处理意见", choices=Outcome.choices)
    circumstance = forms.ChoiceField(label="裁量情节")
    proposed_kinds = forms.MultipleChoiceField(label="拟处罚种类", required=False, choices=PenaltyKind.choices,
                                               widget=forms.CheckboxSelectMultiple)
    proposed_fine = forms.DecimalField(label="拟罚款（元）", required=False, min_value=0, decimal_places=2)
    goods_value = forms.DecimalField(label="违法货值/广告费用（元）", required=False, min_value=0, decimal_places=2)
    illegal_income = forms.DecimalField(label="违法所得（元）", required=False, min_value=0, decimal_places=2)
    outcome_reason = forms.CharField(label="不予处罚/移送理由", required=False,
                                     widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("调查终结日期")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["circumstance"].choices = circumstance_choices()


class DateForm(forms.Form):
    on = _date()


class ReviewForm(forms.Form):
    result = forms.ChoiceField(label="审核结论", choices=LegalReview.Result.choices)
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 3}))
    on = _date("审核日期")


class ReplyForm(forms.Form):
    statement = forms.CharField(label="陈述申辩", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    waived = forms.BooleanField(label="当事人书面放弃陈述申辩和听证", required=False)
    on = _date("日期")


class HearingRequestForm(forms.Form):
    requested_on = _date("申请日期")


class HearingHoldForm(forms.Form):
    host = forms.ModelChoiceField(label="听证主持人（非本案调查人员）", queryset=get_user_model().objects.none())
    held_on = _date("听证日期")
    place = forms.CharField(label="地点", required=False, max_length=200)
    minutes = forms.CharField(label="听证笔录摘要", widget=forms.Textarea(attrs={"rows": 2}))
    report = forms.CharField(label="听证报告", widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host"].queryset = officer_choices(user)


class DecideForm(forms.Form):
    kinds = forms.MultipleChoiceField(label="处罚种类", choices=PenaltyKind.choices, widget=forms.CheckboxSelectMultiple)
    fine_amount = forms.DecimalField(label="罚款（元）", required=False, min_value=0, decimal_places=2)
    confiscated_amount = forms.DecimalField(label="没收违法所得（元）", required=False, min_value=0, decimal_places=2)
    confiscated_items = forms.CharField(label="没收非法财物", required=False, max_length=500)
    suspension_days = forms.IntegerField(label="停产停业/暂扣天数", required=False, min_value=1)
    facts = forms.CharField(label="违法事实", widget=forms.Textarea(attrs={"rows": 3}))
    legal_basis = forms.CharField(label="处罚依据", widget=forms.Textarea(attrs={"rows": 2}))
    collective = forms.BooleanField(label="经集体讨论决定", required=False)
    on = _date("决定日期")


class ServedForm(forms.Form):
    """Service of a document: method, date, recipient, proof (送达回证的内容)."""

    method = forms.ChoiceField(label="送达方式", choices=Service.Method.choices)
    served_on = _date("送达日期（公告送达可不填）", required=False)
    sent_on = _date("交邮或者发出公告日期（邮寄、公告送达时填写）", required=False)
    recipient = forms.CharField(label="受送达人/签收人", max_length=100)
    proof = forms.CharField(label="送达凭证", max_length=200, help_text="送达回证编号、邮件单号、电子送达记录或公告载体")

    def clean(self):
        data = super().clean()
        if data.get("method") != Service.Method.ANNOUNCEMENT and not data.get("served_on"):
            self.add_error("served_on", "请填写送达日期")
        if data.get("method") == Service.Method.ANNOUNCEMENT and not data.get("sent_on"):
            self.add_error("sent_on", "公告送达须填写发出公告的日期")
        return data


class NoticeForm(ServedForm):
    on = _date("告知书日期")
    field_order = ["on", "method", "served_on", "sent_on", "recipient", "proof"]


class HearingScheduleForm(ServedForm):
    scheduled_on = _date("举行听证日期")
    place = forms.CharField(label="地点", required=False, max_length=200)
    field_order = ["scheduled_on", "place", "method", "served_on", "sent_on", "recipient", "proof"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["served_on"].label = "听证通知书送达日期"
        self.fields["served_on"].required = True


class SeizurePauseForm(forms.Form):
    seizure = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.ChoiceField(label="事由", choices=[(r.value, r.label) for r in (
        PauseReason.TESTING, PauseReason.INSPECTION, PauseReason.QUARANTINE, PauseReason.APPRAISAL)])
    starts_on = _date("开始日期")
    evidence_ref = forms.CharField(label="检测（检验、鉴定）期间告知书文号或委托书编号", max_length=200,
                                   help_text="期间应当明确，并书面告知当事人（行政强制法第二十五条）")


class SeizurePauseEndForm(forms.Form):
    pause = forms.IntegerField(widget=forms.HiddenInput)
    ends_on = _date("结束日期")


class ServiceForm(forms.Form):
    document_title = forms.CharField(label="送达文书", max_length=100, initial="行政处罚决定书")
    document_no = forms.CharField(label="文书编号", required=False, max_length=60)
    is_decision = forms.BooleanField(label="本次送达的是处罚（处理）决定书", required=False, initial=True)
    method = forms.ChoiceField(label="送达方式", choices=Service.Method.choices)
    served_on = _date("送达日期（公告送达可不填）", required=False)
    sent_on = _date("交邮或者发出公告日期（邮寄、公告送达时填写）", required=False)
    recipient = forms.CharField(label="受送达人/签收人", max_length=100)
    proof = forms.CharField(label="送达凭证", max_length=200, help_text="送达回证编号、邮件单号、电子送达记录或公告载体")
    proof_file = forms.FileField(label="凭证扫描件", required=False)


class PaymentForm(forms.Form):
    paid_on = _date("缴纳日期")
    amount = forms.DecimalField(label="金额（元）", min_value=0, decimal_places=2)
    receipt_no = forms.CharField(label="缴款票据号", max_length=60)


class EnforceForm(forms.Form):
    on = _date("申请日期")
    note = forms.CharField(label="执行情况", required=False, max_length=300)


class CloseForm(forms.Form):
    note = forms.CharField(label="结案意见", widget=forms.Textarea(attrs={"rows": 2}))
    on = _date("结案日期")


def unit_heads(unit_id):
    """The people who may approve for ``unit_id`` as its head (负责人): department heads and bureau leaders whose
    scope covers the unit (the service checks again)."""
    from .services import is_unit_head

    users = (get_user_model().objects.filter(is_active=True, groups__name__in=["department_head", "bureau_leader"])
             .select_related("profile__unit").distinct().order_by("username"))
    return get_user_model().objects.filter(pk__in=[u.pk for u in users if is_unit_head(u, unit_id)])


class HeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        unit = getattr(getattr(obj, "profile", None), "unit", None)
        return f"{obj.get_full_name() or obj.get_username()}（{unit.name if unit else ''}）"


class PushExtendForm(forms.Form):
    """A head's approval of 10 more working days to push a decision to the party's home province (Order 45 art. 10)."""

    approver = HeadChoiceField(label="批准人（本单位负责人）", queryset=None,
                               help_text="有特殊原因的，经批准可以延长 10 个工作日（市场监管总局令第45号第十条）")
    reason = forms.CharField(label="特殊原因", max_length=300)
    on = forms.DateField(label="批准日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                         initial=timezone.localdate)

    def __init__(self, *args, unit_id=None, heads=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = heads if heads is not None else unit_heads(unit_id)
        for name, field in self.fields.items():
            field.widget.attrs["class"] = "form-select form-select-sm" if name == "approver" else \
                "form-control form-control-sm"
