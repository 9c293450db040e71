from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm

from .models import OrgUnit, SecurityPolicy
from .roles import ROLES
from .security import client_ip, locked_until


class LockoutCheckMixin:
    """Say so when the account or the address is locked, before any password is checked. The counting itself is in
    ``security.LockoutBackend``, the one place every password login passes."""

    def clean(self):
        username = self.cleaned_data.get("username")
        if username:
            until = locked_until(username, client_ip(self.request))
            if until is not None:
                from django.utils import timezone

                local = timezone.localtime(until)
                raise forms.ValidationError(
                    f"连续登录失败次数过多，账号已临时锁定，请于 {local:%H:%M} 后再试。", code="locked"
                )
        return super().clean()


class LoginForm(LockoutCheckMixin, AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。",
        "inactive": "该账号已停用，请联系系统管理员。",
    }


class AdminLoginForm(LockoutCheckMixin, AdminAuthenticationForm):
    """The login of /admin/: the same lockout as the workbench (it used Django's own form, which knew nothing of it)."""

    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": "用户名或密码错误（系统管理须使用具有管理权限的账号）。",
    }


class StaffForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
    full_name = forms.CharField(label="姓名", max_length=150)
    staff_code = forms.CharField(label="工号", max_length=20)
    unit = forms.ModelChoiceField(label="所属单位", queryset=OrgUnit.objects.filter(is_active=True))
    title = forms.CharField(label="职务", max_length=40, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    credential_no = forms.CharField(label="执法证号", max_length=30, required=False)
    credential_expiry = forms.DateField(
        label="执法证有效期至", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    roles = forms.MultipleChoiceField(
        label="角色", choices=[(r.code, r.name) for r in ROLES], widget=forms.CheckboxSelectMultiple
    )
    password = forms.CharField(
        label="初始密码", widget=forms.PasswordInput, required=False, help_text="留空则需通过重置设置密码"
    )

    def clean_roles(self):
        from .separation import role_conflict

        roles = self.cleaned_data["roles"]
        problem = role_conflict(roles)
        if problem:
            raise forms.ValidationError(problem)
        return roles

    def clean(self):
        from django.contrib.auth import get_user_model
        from django.contrib.auth.password_validation import validate_password

        data = super().clean()
        if data.get("password"):
            probe = get_user_model()(username=data.get("username", ""), first_name=data.get("full_name", ""))
            try:
                validate_password(data["password"], probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return data


class WorkdayForm(forms.Form):
    date = forms.DateField(label="日期", widget=forms.DateInput(attrs={"type": "date"}))
    is_workday = forms.TypedChoiceField(
        label="状态", choices=[("1", "工作日（含调休上班）"), ("0", "休息日/节假日")], coerce=lambda v: v == "1"
    )
    note = forms.CharField(label="说明", max_length=100, required=False)


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label="年份", min_value=2004, max_value=2100)
    note = forms.CharField(label="依据", max_length=200)


class SecurityPolicyForm(forms.ModelForm):
    class Meta:
        model = SecurityPolicy
        fields = ["min_password_length", "min_character_classes", "session_idle_minutes", "session_absolute_minutes",
                  "max_failed_logins", "max_failed_logins_per_ip", "lockout_minutes", "otp_required_for_staff",
                  "password_history_count", "password_max_age_days", "single_session"]


class TokenForm(forms.Form):
    name = forms.CharField(label="用途", max_length=60)
    days = forms.IntegerField(label="有效期（天）", min_value=1, max_value=3650, initial=365)


class OTPTokenForm(forms.Form):
    token = forms.CharField(label="动态验证码或恢复码", max_length=16,
                            widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric",
                                                          "autofocus": True}))


class OTPResetForm(forms.Form):
    username = forms.CharField(label="用户名", max_length=150)
