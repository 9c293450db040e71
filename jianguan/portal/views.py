"""The public portal: home and notices, enterprise credit lookup and the public record, open data, the public
account (login, enterprise sign-up, replies). Reads published data only, through ``portal.public``."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from jianguan.core.errors import DomainError
from jianguan.core.rules import rule
from jianguan.core.security import PHONE_LOGIN_PREFIX, locked_until, login_name, refuse_login
from jianguan.core.security import client_ip as client_ip_of
from jianguan.core.views import rate_limited
from jianguan.registry import uscc as uscc_mod
from jianguan.registry.models import Entity, EntityKind, EntityStatus, LicenceStatus

from . import opendata, public, records, services
from .api import client_ip
from .models import REPLY_MAX_LENGTH, Notice, Reply
from .signup import PHONE_RE, mask_phone, sms_limited, verification_consume, verification_send


class PublicLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "账号或密码错误。",
        "inactive": "该账号已停用。",
    }

    def clean(self):
        username = self.cleaned_data.get("username")
        if username and locked_until(username, client_ip_of(self.request)):
            raise ValidationError("连续登录失败次数过多，账号已临时锁定，请稍后再试。", code="locked")
        if username and self._is_staff_account(username):
            # Staff sign in at the workbench. Refused before the password is looked at, with the answer and the
            # count of a wrong password: the portal must not tell anyone that a staff password was right.
            refuse_login(username, self.request, "staff account at the portal")
            raise self.get_invalid_login_error()
        return super().clean()

    @staticmethod
    def _is_staff_account(username: str) -> bool:
        from django.contrib.auth import get_user_model

        user = (get_user_model()._default_manager.filter(username=login_name(username))
                .select_related("public_profile").first())
        return user is not None and not hasattr(user, "public_profile")

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if not hasattr(user, "public_profile"):  # e.g. a profile removed between the check above and now
            raise self.get_invalid_login_error()


class PublicLoginView(auth_views.LoginView):
    template_name = "portal/login.html"
    authentication_form = PublicLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return "/account/"


def _published_notices():
    return Notice.objects.filter(published_on__isnull=False, published_on__lte=timezone.localdate())


def home(request):
    return render(request, "portal/home.html", {"notices": _published_notices()[:6]})


def notices(request):
    from django.core.paginator import Paginator

    page = Paginator(_published_notices().only("id", "title", "published_on", "pinned"), 20).get_page(
        request.GET.get("page"))
    return render(request, "portal/notices.html", {"page": page})


def notice(request, pk: int):
    return render(request, "portal/notice.html", {"notice": get_object_or_404(_published_notices(), pk=pk)})


# --- credit lookup ------------------------------------------------------------------------------------------------

SEARCH_PAGE = 20
SEARCH_COUNT_CAP = 1000


def code_hint(q: str) -> str:
    """What is wrong with a query typed as a code (Latin letters and digits only, 15 characters or more), else "":
    a name search would find nothing with it, so the person is told which character to check."""
    code = uscc_mod.normalize(q).replace(" ", "").replace("-", "")
    if len(code) < 15 or not (code.isascii() and code.isalnum()):
        return ""
    if len(code) == 15 and code.isdigit():
        return "这是15位的原工商注册号。请改用营业执照上的18位统一社会信用代码，或输入企业名称关键字查询。"
    reason = uscc_mod.invalid_reason(code)
    return f"「{code}」不是有效的统一社会信用代码：{reason}。请对照营业执照核对，或输入企业名称关键字查询。" if reason else ""


@require_GET
def search(request):
    """Search by name fragment or code; a full code that matches goes straight to the record."""
    q = (request.GET.get("q") or "").replace("\x00", "").strip()[:100]
    kind = request.GET.get("kind") or ""
    kind = kind if kind in EntityKind.values else ""
    status = request.GET.get("status") or ""
    status = status if status in EntityStatus.values else ""
    ctx = {"q": q, "kind": kind, "status": status, "kinds": EntityKind.choices, "statuses": EntityStatus.choices,
           "rows": None, "cap": SEARCH_COUNT_CAP, "page_size": SEARCH_PAGE}
    if q:
        rate = rule("portal.search_rate")
        if rate and is_ratelimited(request, group="portal.search", key=client_ip, rate=rate, increment=True):
            return rate_limited(request)
        code = uscc_mod.normalize(q)
        if len(q) < 2 and not code.isalnum():
            ctx["error"] = "请至少输入两个字。"
            return render(request, "portal/search.html", ctx)
        ctx["code_hint"] = code_hint(q)
        qs = public.search(q=q, kind=kind, status=status)
        # a bounded count (COUNT over at most SEARCH_COUNT_CAP + 1 ids): a common fragment must not count millions
        ctx["total"] = qs.values("id")[: SEARCH_COUNT_CAP + 1].count()
        ctx["total_capped"] = ctx["total"] > SEARCH_COUNT_CAP
        scope = f"{q}|{kind}|{status}"
        try:
            after = public.decode_cursor(request.GET.get("cursor") or "", scope)
        except public.BadCursor:
            after = 0
        rows, last = public.keyset_page(qs, after=after, limit=SEARCH_PAGE, values=public.SUMMARY_VALUES,
                                        searched=public.searches_name(q))
        if after == 0 and last is None and len(rows) == 1 and rows[0]["uscc"] == code:
            return redirect("portal:entity", uscc=code)
        ctx.update(rows=[public.summary_row(r) for r in rows],
                   next_cursor=public.encode_cursor(last, scope) if last else "", first_page=after == 0)
    return render(request, "portal/search.html", ctx)


def _record(uscc: str) -> dict:
    stored = records.get(uscc) if len(uscc) <= 40 else None  # the record the API serves, from its one-query store
    if stored is None:
        raise Http404("未找到该市场主体")
    return json.loads(stored[0])


def entity(request, uscc: str):
    rec = _record(uscc)
    return render(request, "portal/entity.html", {"rec": rec, "reg": rec["registration"]})


def entity_licences(request, uscc: str):
    """一照通行: what the business licence's QR code opens — the licence and every permit the entity holds (valid
    ones first), each granted on commitment (告知承诺) marked; from the same stored public record."""
    rec = _record(uscc)
    valid_label = LicenceStatus.VALID.label
    held = sorted(rec["licences"], key=lambda lic: lic["status"] != valid_label)  # stable: valid ones first
    valid = sum(1 for lic in held if lic["status"] == valid_label)
    return render(request, "portal/entity_licences.html", {"rec": rec, "reg": rec["registration"], "held": held,
                                                           "valid_count": valid, "lapsed_count": len(held) - valid,
                                                           "valid_label": valid_label})


def entity_report_html(request, rec: dict) -> str:
    """The credit report's HTML, printed to PDF by WeasyPrint (its tables' column widths are tested on the layout)."""
    from django.template.loader import render_to_string

    return render_to_string("portal/entity_report_pdf.html", {
        "rec": rec, "reg": rec["registration"], "printed_at": timezone.localtime(),
        "url": request.build_absolute_uri(reverse("portal:entity", args=[rec["registration"]["uscc"]])),
        "bureau_name": settings.JIANGUAN_BUREAU_NAME})


def entity_report_pdf(request, uscc: str):
    """The printable credit report (企业信用报告): the public record as an A4 PDF file, dated, with its address."""
    from django.http import HttpResponse
    from weasyprint import HTML

    rate = rule("portal.report_rate")
    if rate and is_ratelimited(request, group="portal.report", key=client_ip, rate=rate, increment=True):
        return rate_limited(request)
    rec = _record(uscc)
    pdf = HTML(string=entity_report_html(request, rec)).write_pdf()
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="credit-report-{rec["registration"]["uscc"]}.pdf"'
    return response


# --- open data ----------------------------------------------------------------------------------------------------


def open_data(request):
    return render(request, "portal/open_data.html", {"manifest": opendata.read_manifest(),
                                                     "datasets": opendata.DATASETS})


def open_data_docs(request):
    base = request.build_absolute_uri("/").rstrip("/")
    sample = Entity.objects.order_by("id").values_list("uscc", flat=True).first() or "91410402MA00000000"
    return render(request, "portal/open_data_docs.html", {"base": base, "sample": sample,
                                                          "rate": rule("portal.open_api_rate")})


def open_data_file(request, name: str):
    """A file of the current dump, streamed from disk (never read into memory)."""
    path = opendata.file_path(name)
    if path is None:
        raise Http404
    content_type = "application/json" if name.endswith(".json") else "application/gzip"
    response = FileResponse(path.open("rb"), content_type=content_type, as_attachment=not name.endswith(".json"),
                            filename=name)
    response["Cache-Control"] = "public, max-age=3600"
    return response


# --- the account --------------------------------------------------------------------------------------------------


def _profile(request):
    user = request.user
    return getattr(user, "public_profile", None) if user.is_authenticated and hasattr(user, "public_profile") else None


def account(request):
    profile = _profile(request)
    if profile is None:
        return redirect_to_login(request.get_full_path(), "/account/login/")
    return render(request, "portal/account.html", {"profile": profile, "login_label": _login_label(request.user, profile)})


def _login_label(user, profile) -> str:
    """What the person types to log in, as shown on their own page: a phone login (stored as its keyed hash) by
    its masked number, any other login name as it is."""
    if user.get_username().startswith(PHONE_LOGIN_PREFIX) and profile.phone:
        return f"手机号 {mask_phone(profile.phone)}"
    return user.get_username()


def _enterprise(request):
    profile = _profile(request)
    if profile is None:
        return None
    if profile.kind != "enterprise" or profile.entity_id is None:
        raise PermissionDenied("仅企业账号可以办理")
    return profile.entity


def my_record(request):
    entity = _enterprise(request)
    if entity is None:
        return redirect_to_login(request.get_full_path(), "/account/login/")
    return redirect("portal:entity", uscc=entity.uscc)


class ReplyForm(forms.Form):
    object_type = forms.CharField(widget=forms.HiddenInput)
    object_id = forms.CharField(widget=forms.HiddenInput, max_length=40)
    body = forms.CharField(label="回应内容", max_length=REPLY_MAX_LENGTH,
                           widget=forms.Textarea(attrs={"rows": 3, "maxlength": REPLY_MAX_LENGTH}),
                           help_text=f"不超过 {REPLY_MAX_LENGTH} 字，将与该记录一并向社会公示；请勿填写个人信息。")


@require_http_methods(["GET", "POST"])
def replies(request):
    """The enterprise's published records it may reply to, each with its reply (or a form)."""
    entity = _enterprise(request)
    if entity is None:
        return redirect_to_login(request.get_full_path(), "/account/login/")
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.reply_post(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, "回应已发布，将显示在本企业公示信息中。")
                return redirect("portal:replies")
        else:
            messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    existing = {(r.object_type, r.object_id): r for r in Reply.objects.filter(entity=entity)}
    rows = []
    for t in public.inspection_results(entity, {}):
        key = ("inspections.inspectiontask", str(t["id"]))
        rows.append({"record": t, "reply": existing.get(key), "object_type": key[0], "object_id": key[1],
                     "label": f"{t['plan_title']}（{t['plan']} 第{t['batch']}批）"})
    # the records of other modules (penalties, …) that name a reply target on the credit timeline
    for e in sorted(public.provider_events(entity), key=lambda e: e.on, reverse=True):
        if e.public and e.ref and e.ref[0] in services.TARGETS:
            rows.append({"reply": existing.get(e.ref),
                         "object_type": e.ref[0], "object_id": e.ref[1], "label": e.title,
                         "summary": f"{e.category} · {e.on:%Y-%m-%d}" + (f" · {e.detail}" if e.detail else "")})
    offered = {(r["object_type"], r["object_id"]) for r in rows}
    others = [r for k, r in existing.items() if k not in offered]
    return render(request, "portal/replies.html", {"entity": entity, "rows": rows, "others": others,
                                                   "max_length": REPLY_MAX_LENGTH})


# --- enterprise sign-up: the code goes to the phone on the register -----------------------------------------------

ENTERPRISE_SESSION = "jianguan_enterprise_signup"


class EnterpriseSignupForm(forms.Form):
    uscc = forms.CharField(label="统一社会信用代码", max_length=18,
                           widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}))
    legal_rep = forms.CharField(label="法定代表人（负责人）/经营者姓名", max_length=50)
    password = forms.CharField(label="设置密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="确认密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))

    def clean(self):
        from django.contrib.auth import get_user_model

        data = super().clean()
        code = uscc_mod.normalize(data.get("uscc") or "")
        entity = Entity.objects.filter(uscc=code, status=EntityStatus.ACTIVE).first() if code else None
        # one message for "no such entity" and "wrong name": the form must not confirm who runs what
        if entity is None or entity.legal_rep.strip() != (data.get("legal_rep") or "").strip():
            raise ValidationError("统一社会信用代码与法定代表人（负责人）姓名不匹配，或该主体不在存续状态。")
        if not PHONE_RE.match(entity.phone or ""):
            raise ValidationError("登记的联系电话不是手机号码，无法在线核验，请携营业执照到登记窗口开通。")
        if get_user_model().objects.filter(username=entity.uscc).exists():
            raise ValidationError("该企业已开通账号，请直接使用统一社会信用代码登录。")
        password, again = data.get("password"), data.get("password2")
        if password and again and password != again:
            self.add_error("password2", "两次输入的密码不一致")
        elif password:
            try:
                validate_password(password)
            except ValidationError as exc:
                self.add_error("password", exc)
        data["entity"] = entity
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label="短信验证码", max_length=6, min_length=6,
                           widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}))


@require_http_methods(["GET", "POST"])
def enterprise_signup(request):
    if request.method == "POST" and sms_limited(request):  # before the form answers whether code and name match
        return rate_limited(request)
    form = EnterpriseSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        entity = form.cleaned_data["entity"]
        try:
            verification_send(phone=entity.phone, purpose="enterprise")
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            request.session[ENTERPRISE_SESSION] = {"entity": entity.pk,
                                                   "password": make_password(form.cleaned_data["password"])}
            return redirect("portal:enterprise_verify")
    return render(request, "portal/enterprise_signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def enterprise_verify(request):
    pending = request.session.get(ENTERPRISE_SESSION)
    entity = Entity.objects.filter(pk=(pending or {}).get("entity")).first()
    if entity is None:
        return redirect("portal:enterprise_signup")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        error = verification_consume(phone=entity.phone, code=form.cleaned_data["code"], purpose="enterprise")
        user = None
        if not error:
            try:
                user = services.enterprise_account_create(entity=entity, phone=entity.phone,
                                                          password_hash=pending["password"])
            except DomainError as exc:
                error = exc.message
        if error:
            form.add_error("code", error)
        else:
            request.session.pop(ENTERPRISE_SESSION, None)
            login(request, user, backend="jianguan.core.security.LockoutBackend")
            messages.success(request, f"企业账号已开通，今后请以统一社会信用代码 {entity.uscc} 登录。")
            return redirect(reverse("portal:account"))
    return render(request, "portal/enterprise_verify.html", {"form": form, "phone": mask_phone(entity.phone),
                                                             "entity": entity})
