"""Forms of the complaint intake (portal and workbench), the handling actions, tracking and import."""

from __future__ import annotations

import datetime as dt
import uuid

from captcha.conf import settings as captcha_settings
from captcha.fields import CaptchaField, CaptchaTextInput
from captcha.models import CaptchaStore
from django import forms
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from jianguan.core.models import Division, OrgUnit
from jianguan.core.rules import rule

from . import files
from .models import Category, Channel, Kind, Mediation, MediationPause, Satisfaction, Status
from .rules import refusal_reasons


class OneTimeCaptchaField(CaptchaField):
    """django-simple-captcha's field, checked with one ``DELETE … RETURNING`` of the challenge.

    The library reads the challenge and then deletes it, so two posts racing with the same answer could both pass;
    here the delete is the read, so a challenge passes once. It also purges every expired challenge on each check
    (one more statement per post); the daily job ``complaints-captcha-purge`` does that instead."""

    def clean(self, value):
        forms.MultiValueField.clean(self, value)
        hashkey, response = value[0], (value[1] or "").strip().lower()
        value[1] = ""
        if not self.required and not response:
            return value
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {CaptchaStore._meta.db_table} WHERE hashkey = %s RETURNING response, expiration",
                           [hashkey])
            row = cursor.fetchone()
        if captcha_settings.CAPTCHA_TEST_MODE and response == "passed":
            return value
        if row is None or row[0] != response or _aware(row[1]) <= timezone.now():
            raise ValidationError(self.error_messages.get("invalid", "验证码不正确"), code="invalid")
        return value


class CaptchaInput(CaptchaTextInput):
    """The captcha as the rest of the form: the answer box a form-control (the class comes from ``|bs``), 换一张
    beside it, the image before them (``complaints/widgets/captcha.html``)."""

    template_name = "complaints/widgets/captcha.html"

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        answer = context["widget"]["subwidgets"][-1]["attrs"]
        answer.update({"autocomplete": "off", "autocapitalize": "off", "spellcheck": "false", "maxlength": "8",
                       "aria-describedby": "captcha-help"})
        return context


def _aware(value):
    """SQLite returns the raw column text (UTC) from RETURNING; PostgreSQL an aware datetime."""
    if isinstance(value, str):
        value = parse_datetime(value)
    return timezone.make_aware(value, dt.UTC) if timezone.is_naive(value) else value


# An <input type="date"> only accepts ISO values; the zh-hans locale would render 2026/12/02, which browsers drop.
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": files.ACCEPT_ATTR}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


DIVISIONS_CACHE_KEY = "jianguan:complaints:division_choices:v1"


def division_choices() -> list[tuple[str, str]]:
    """The city's districts and counties. Cached like the rules (5 minutes, cleared when a division is saved): every
    intake form, also every public submission, needs them, and they change perhaps once a year."""
    from django.conf import settings

    rows = cache.get(DIVISIONS_CACHE_KEY)
    if rows is None:
        rows = list(
            Division.objects.filter(parent_id=settings.JIANGUAN_CITY_CODE).order_by("code").values_list("code", "name")
        )
        cache.set(DIVISIONS_CACHE_KEY, rows, 300)
    return [("", "不清楚 / 其他"), *rows]


def forget_division_choices(**kwargs) -> None:
    cache.delete(DIVISIONS_CACHE_KEY)


class IntakeForm(forms.Form):
    """What a consumer or reporter tells us. Shared by the portal and the workbench's staff entry."""

    kind = forms.ChoiceField(label="类型", choices=Kind.choices, widget=forms.RadioSelect, initial=Kind.COMPLAINT)
    anonymous = forms.BooleanField(label="匿名举报（仅限举报；匿名举报人不会收到处理结果告知）", required=False)
    person_name = forms.CharField(label="姓名", max_length=50, required=False)
    person_phone = forms.CharField(
        label="联系电话",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    person_email = forms.EmailField(label="电子邮箱（选填）", required=False)
    person_address = forms.CharField(label="通讯地址（选填）", max_length=200, required=False)
    entity_query = forms.CharField(
        label="被投诉（举报）经营者",
        max_length=200,
        help_text="输入名称关键字或18位统一社会信用代码，从下拉结果中选择；找不到时直接填写名称。",
        widget=forms.TextInput(attrs={"autocomplete": "off", "data-entity-lookup": "1"}),
    )
    entity_uscc = forms.CharField(required=False, max_length=18, widget=forms.HiddenInput)
    entity_address = forms.CharField(label="经营者地址", max_length=200, required=False)
    division = forms.ChoiceField(
        label="经营者所在区县", required=False, help_text="未在登记系统中找到经营者时，按所在区县转当地市场监管局办理。"
    )
    category = forms.ChoiceField(label="问题类别", choices=Category.choices, initial=Category.OTHER)
    description = forms.CharField(label="事情经过", max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    amount = forms.DecimalField(label="涉及金额（元）", required=False, min_value=0, max_digits=12, decimal_places=2)
    occurred_on = forms.DateField(label="发生日期", required=False, widget=DATE)
    demand = forms.CharField(label="诉求", max_length=500, required=False, help_text="如：退货退款、赔偿、查处违法行为")
    files = MultipleFileField(
        label="证据材料（选填）",
        required=False,
        help_text="图片（JPG/PNG）、PDF、MP3 录音或 Word 文档，每个文件不超过规定大小，最多 5 个。",
    )
    token = forms.CharField(widget=forms.HiddenInput, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].choices = division_choices()
        if not self.is_bound:
            self.initial.setdefault("token", uuid.uuid4().hex)
        limit = int(rule("complaints.evidence_max_bytes")) // 1048576
        self.fields["files"].help_text = (
            f"图片（JPG/PNG）、PDF、MP3 录音或 Word 文档，每个不超过 {limit} MB，"
            f"最多 {rule('complaints.evidence_max_files')} 个。"
        )


class PublicIntakeForm(IntakeForm):
    captcha = OneTimeCaptchaField(label="验证码", widget=CaptchaInput,
                                  help_text="输入图中的字符，不区分大小写；看不清可换一张。",
                                  error_messages={"invalid": "验证码不正确，请重新输入"})

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not rule("complaints.intake_captcha"):
            del self.fields["captcha"]


class StaffIntakeForm(IntakeForm):
    channel = forms.ChoiceField(
        label="渠道", choices=[(c.value, c.label) for c in (Channel.PHONE, Channel.LETTER, Channel.WALK_IN)]
    )
    received_on = forms.DateField(label="收到日期", widget=DATE, initial=timezone.localdate)

    field_order = ["channel", "received_on"]


class FilterForm(forms.Form):
    q = forms.CharField(label="编号或经营者名称", required=False)
    kind = forms.ChoiceField(label="类型", required=False, choices=[("", "全部")] + Kind.choices)
    status = forms.ChoiceField(label="状态", required=False, choices=[("", "全部")] + Status.choices)
    category = forms.ChoiceField(label="类别", required=False, choices=[("", "全部")] + Category.choices)
    unit = forms.ChoiceField(label="处理单位", required=False)
    date_from = forms.DateField(label="收到日期自", required=False, widget=DATE)
    date_to = forms.DateField(label="至", required=False, widget=DATE)
    overdue = forms.BooleanField(label="仅超期", required=False)
    mine = forms.BooleanField(label="我承办的", required=False)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "全部")] + [(u.code, u.name) for u in units]


class AcceptForm(forms.Form):
    on = forms.DateField(label="受理日期", widget=DATE, initial=timezone.localdate)
    note = forms.CharField(label="说明", required=False, max_length=500)


class RefuseForm(forms.Form):
    reason = forms.ChoiceField(label="不予受理的情形")
    note = forms.CharField(label="说明", required=False, max_length=500)
    on = forms.DateField(label="决定日期", widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = refusal_reasons()


class TransferForm(forms.Form):
    to_unit = forms.ModelChoiceField(label="转入单位", queryset=OrgUnit.objects.none())
    reason = forms.CharField(label="转办理由", max_length=300)

    def __init__(self, *args, exclude=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = OrgUnit.objects.filter(is_active=True).exclude(kind=OrgUnit.Kind.CITY).order_by("path")
        if exclude is not None:
            qs = qs.exclude(pk=exclude)
        self.fields["to_unit"].queryset = qs


class MediationForm(forms.Form):
    on = forms.DateField(label="调解日期", widget=DATE, initial=timezone.localdate)
    method = forms.ChoiceField(label="方式", choices=Mediation.Method.choices)
    participants = forms.CharField(label="参加人员", max_length=200)
    content = forms.CharField(label="调解情况", widget=forms.Textarea(attrs={"rows": 3}))


class AgreeForm(forms.Form):
    agreement = forms.CharField(label="调解协议内容", widget=forms.Textarea(attrs={"rows": 3}))
    money_recovered = forms.DecimalField(
        label="挽回经济损失（元）", min_value=0, max_digits=12, decimal_places=2, initial=0
    )
    on = forms.DateField(label="达成协议日期", widget=DATE, initial=timezone.localdate)


class TerminateForm(forms.Form):
    reason = forms.CharField(label="终止调解原因", max_length=300)
    on = forms.DateField(label="终止日期", widget=DATE, initial=timezone.localdate)


class CloseForm(forms.Form):
    satisfaction = forms.ChoiceField(
        label="消费者满意度", required=False, choices=[("", "未评价")] + Satisfaction.choices
    )
    note = forms.CharField(label="办结说明", required=False, max_length=500)


class ReportDecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label="核查结论",
        widget=forms.RadioSelect,
        choices=[("lead", "涉嫌违法，转为执法线索"), ("dismiss", "未发现违法行为")],
    )
    note = forms.CharField(label="核查情况", required=False, widget=forms.Textarea(attrs={"rows": 3}))


def unit_heads(unit_id):
    """The people who may approve for ``unit_id`` as its head: department heads and bureau leaders whose scope
    covers the unit (the service checks again)."""
    from django.contrib.auth import get_user_model

    from .services import is_unit_head

    users = (get_user_model().objects.filter(is_active=True, groups__name__in=["department_head", "bureau_leader"])
             .select_related("profile__unit").distinct().order_by("username"))
    return get_user_model().objects.filter(pk__in=[u.pk for u in users if is_unit_head(u, unit_id)])


class HeadChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        unit = getattr(getattr(obj, "profile", None), "unit", None)
        return f"{obj.get_full_name() or obj.get_username()}（{unit.name if unit else ''}）"


class ExtendForm(forms.Form):
    reason = forms.CharField(label="延期理由", max_length=300)
    approver = HeadChoiceField(label="批准人（本单位负责人）", queryset=None,
                               help_text="核查期限的延长须经市场监督管理部门负责人批准（《市场监督管理行政处罚程序规定》第十八条）")
    on = forms.DateField(label="批准日期", widget=DATE, initial=timezone.localdate)

    def __init__(self, *args, unit_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["approver"].queryset = unit_heads(unit_id)


class MediationPauseForm(forms.Form):
    reason = forms.ChoiceField(label="事由", choices=MediationPause.Reason.choices)
    evidence = forms.CharField(label="依据（委托书、报告编号及技术机构）", max_length=300)
    starts_on = forms.DateField(label="开始日期", widget=DATE, initial=timezone.localdate)


class MediationResumeForm(forms.Form):
    ends_on = forms.DateField(label="结束日期", widget=DATE, initial=timezone.localdate)


class TrackForm(forms.Form):
    number = forms.CharField(
        label="投诉举报编号",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "如 PDS-2026-000123"}),
    )
    code = forms.CharField(
        label="查询码", max_length=6, min_length=6, widget=forms.TextInput(attrs={"autocomplete": "off"})
    )


class RateForm(forms.Form):
    satisfaction = forms.ChoiceField(label="您对处理结果的评价", choices=Satisfaction.choices, widget=forms.RadioSelect)


class ImportForm(forms.Form):
    file = forms.FileField(
        label="全国12315平台导出文件（.xlsx）", widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"})
    )
