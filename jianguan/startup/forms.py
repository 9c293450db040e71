from __future__ import annotations

from decimal import Decimal

from django import forms

from jianguan.core.models import Division
from jianguan.registry.models import EntityKind, Industry

from . import idnumber, namecheck
from .models import Application, CompanionItem, Shareholder

SELF_SERVICE_KINDS = [(k.value, k.label) for k in (EntityKind.LLC, EntityKind.JOINT_STOCK)]


def division_choices():
    """City-level and district-level prefixes of Pingdingshan, as a name may start with either."""
    rows = Division.objects.filter(code__startswith=namecheck.CITY_CODE_PREFIX).order_by("code")
    return [("", "请选择")] + [(d.name, d.name) for d in rows]


def districts():
    return Division.objects.filter(code__startswith=namecheck.CITY_CODE_PREFIX, level=3).order_by("code")


def industries():
    """GB/T 4754 divisions (two-digit codes), the level at which names are compared, of the sections a market entity
    registers in (not 党政机关、群众团体 or 国际组织: rule ``startup.non_market_industry_sections``)."""
    from jianguan.core.rules import rule

    return (Industry.objects.filter(parent__isnull=False)
            .exclude(parent_id__in=rule("startup.non_market_industry_sections")).order_by("code"))


FORM_CHOICES = [("", "请选择")] + [(f, f) for f in ("有限公司", "有限责任公司", "股份有限公司")]


class NameForm(forms.ModelForm):
    name_division = forms.ChoiceField(label="行政区划", choices=())
    name_form = forms.ChoiceField(label="组织形式", choices=FORM_CHOICES)
    entity_kind = forms.ChoiceField(label="企业类型", choices=SELF_SERVICE_KINDS)

    class Meta:
        model = Application
        fields = ["name_division", "name_trade", "name_industry", "name_form", "entity_kind"]
        help_texts = {
            "name_trade": "两个以上汉字，如“鹰城”",
            "name_industry": "体现主营行业，如“商贸”“信息技术”“餐饮管理”",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["name_division"].choices = division_choices()
        for name in ("name_trade", "name_industry"):
            self.fields[name].required = True
        for field in self.fields.values():
            field.widget.attrs.setdefault("data-namecheck", "1")


class AmountInput(forms.NumberInput):
    """A number input showing a stored amount as written (60, 12.5), not with the column's four decimals
    (60.0000): registered and subscribed capital in 万元."""

    def format_value(self, value):
        if isinstance(value, Decimal) and value.is_finite():
            value = f"{value.normalize():f}"
        return super().format_value(value)


class BasicsForm(forms.ModelForm):
    division = forms.ModelChoiceField(
        label="住所所在县（市、区）", queryset=Division.objects.none(), empty_label="请选择"
    )
    industry = forms.ModelChoiceField(
        label="行业（国民经济行业分类大类）", queryset=Industry.objects.none(), empty_label="请选择"
    )

    class Meta:
        model = Application
        fields = ["division", "address", "registered_capital", "industry", "business_scope"]
        widgets = {"business_scope": forms.Textarea(attrs={"rows": 4}), "registered_capital": AmountInput}
        help_texts = {
            "registered_capital": "单位：万元（认缴）",
            "business_scope": "按《经营范围登记规范表述目录》填写，如：日用百货销售；五金产品零售",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = districts()
        self.fields["industry"].queryset = industries()
        for name in ("address", "registered_capital", "business_scope"):
            self.fields[name].required = True

    def clean_registered_capital(self):
        value = self.cleaned_data["registered_capital"]
        if value is not None and value <= 0:
            raise forms.ValidationError("注册资本应大于零")
        return value


class PeopleForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["legal_rep_name", "legal_rep_id_no", "legal_rep_phone"]
        widgets = {"legal_rep_phone": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = True

    def clean_legal_rep_id_no(self):
        value = self.cleaned_data["legal_rep_id_no"].strip().upper()
        reason = idnumber.invalid_reason(value)
        if reason:
            raise forms.ValidationError(reason)
        return value


class ShareholderForm(forms.ModelForm):
    class Meta:
        model = Shareholder
        fields = ["name", "kind", "id_no", "subscribed_capital", "share_pct", "contribution_date"]
        widgets = {"contribution_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "subscribed_capital": AmountInput, "share_pct": AmountInput}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.empty_permitted = True
        self.use_required_attribute = False


ShareholderFormSet = forms.modelformset_factory(
    Shareholder, form=ShareholderForm, extra=0, min_num=1, validate_min=True, can_delete=True, max_num=50
)


def shareholder_rows(formset) -> list[dict]:
    rows = []
    for form in formset.forms:
        data = getattr(form, "cleaned_data", None) or {}
        if not data or data.get("DELETE") or not data.get("name"):
            continue
        rows.append(
            {k: data[k] for k in ("name", "kind", "id_no", "subscribed_capital", "share_pct", "contribution_date")}
        )
    return rows


def shareholder_problems(rows: list[dict]) -> list[str]:
    total = sum((r["share_pct"] for r in rows), Decimal(0))
    return [] if total == Decimal(100) else [f"出资比例合计为 {total.normalize():f}%，应为 100%"]


class ReviewForm(forms.Form):
    companion_codes = forms.MultipleChoiceField(
        label="同步办理的“+N”事项",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[(code, label) for code, (label, _h, _r) in CompanionItem.CATALOGUE.items()],
    )
    commitment_permits = forms.MultipleChoiceField(
        label="“一照通行”：以告知承诺方式同步办理的许可",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="勾选即表示申请人作出下方对应的书面承诺；核准后许可与营业执照同时生效，记载于营业执照二维码所示的许可信息中。",
    )

    def __init__(self, *args, offered=(), **kwargs):
        """``offered``: the permits.needed() entries the bureau grants on commitment for this business scope."""
        super().__init__(*args, **kwargs)
        if offered:
            self.fields["commitment_permits"].choices = [(p["code"], p["name"]) for p in offered]
        else:
            del self.fields["commitment_permits"]


class DeregisterForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["reason", "debts_settled"]
        widgets = {"reason": forms.Textarea(attrs={"rows": 3})}
        labels = {
            "reason": "注销原因",
            "debts_settled": "本企业承诺：未发生债权债务，或已将债权债务清偿完结；不存在未结清的清偿费用、职工工资、社会保险费用、法定补偿金和未交清的应缴纳税款",
        }

    def __init__(self, *args, simple: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].required = True
        if not simple:
            del self.fields["debts_settled"]


class DecisionForm(forms.Form):
    message = forms.CharField(label="意见", widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ObjectionForm(forms.Form):
    name = forms.CharField(label="异议人（姓名或单位名称）", max_length=100)
    contact = forms.CharField(label="联系方式", max_length=60)
    content = forms.CharField(label="异议内容及理由", widget=forms.Textarea(attrs={"rows": 4}))


class NameCheckForm(forms.Form):
    name = forms.CharField(
        label="拟申请的企业名称",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：平顶山市鹰城商贸有限公司"}),
    )
    division = forms.ModelChoiceField(
        label="住所所在县（市、区）", queryset=Division.objects.none(), required=False, empty_label="（不限）"
    )
    industry = forms.ModelChoiceField(
        label="行业", queryset=Industry.objects.none(), required=False, empty_label="请选择"
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["division"].queryset = districts()
        self.fields["industry"].queryset = industries()


class CompanionForm(forms.Form):
    status = forms.ChoiceField(choices=CompanionItem.Status.choices)
    note = forms.CharField(max_length=200, required=False)
