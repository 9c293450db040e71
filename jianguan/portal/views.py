"""The public portal: home, public account login. Reads published data only."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.shortcuts import render

from jianguan.core.security import locked_until, note_failure, note_success


class PublicLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码错误。",
        "inactive": "该账号已停用。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and locked_until(username):
            raise ValidationError("连续登录失败次数过多，账号已临时锁定，请稍后再试。", code="locked")
        return super().clean()

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not hasattr(user, "public_profile"):
            # Staff sign in at the workbench; the portal is for public and enterprise accounts.
            raise ValidationError("工作人员请从工作台登录。", code="staff")


class PublicLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PublicLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return "/account/"

    def form_valid(self, form):
        note_success(form.get_user().get_username())
        return super().form_valid(form)

    def form_invalid(self, form):
        username = form.data.get("username", "")
        if username and not form.has_error("__all__", "locked"):
            note_failure(username)
        return super().form_invalid(form)


def home(request):
    return render(request, "portal/home.html")


def account(request):
    from django.contrib.auth.views import redirect_to_login

    if not request.user.is_authenticated or not hasattr(request.user, "public_profile"):
        return redirect_to_login(request.get_full_path(), "/account/login/")
    return render(request, "portal/account.html", {"profile": request.user.public_profile})
