"""Workbench shell: login, home, password, org tree, staff, calendar, rules, security policy, audit log, tokens."""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.db import connection, transaction
from django.db.models import Count, F, Prefetch
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from . import audit, lists, services, workdays
from .errors import DomainError
from .forms import CalendarYearForm, LoginForm, SecurityPolicyForm, StaffForm, TokenForm, WorkdayForm
from .models import (
    ApiToken,
    AuditEntry,
    CalendarYear,
    OrgUnit,
    RuleValue,
    SecurityPolicy,
    StaffProfile,
    WorkdayOverride,
)
from .roles import ROLE_NAMES
from .rules import RULES, rule
from .scope import get_in_scope_or_404, scope_filter

workbench_required = permission_required("core.access_workbench", raise_exception=True)


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    # Failures and successes are counted and audited by security.LockoutBackend, whichever login form was used.


class PasswordChangeView(auth_views.PasswordChangeView):
    """Own password change; also the page an expired password is sent to before anything else (the middleware
    lets nothing else through until the password is changed)."""

    template_name = "core/password_change.html"
    success_url = "/workbench/"

    def get_success_url(self):
        return _safe_next(self.request) if self.request.GET.get("next") else self.success_url

    def get_context_data(self, **kwargs):
        from . import security

        context = super().get_context_data(**kwargs)
        context["expired"] = security.password_expired(self.request)
        context["max_age_days"] = SecurityPolicy.current().password_max_age_days
        context["next"] = self.request.GET.get("next", "")
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed(actor=self.request.user)
        messages.success(self.request, "密码已修改。")
        return response


def _safe_next(request) -> str:
    from django.utils.http import url_has_allowed_host_and_scheme

    nxt = request.POST.get("next") or request.GET.get("next") or ""
    ok = nxt and url_has_allowed_host_and_scheme(nxt, {request.get_host()}, request.is_secure())
    return nxt if ok else reverse("core:home")


@login_required
@never_cache
def two_factor(request):
    """The second factor after the password: enrol (QR code, first code, recovery codes) or verify."""
    from . import twofactor
    from .forms import OTPTokenForm

    user = request.user
    if twofactor.is_verified(user) and request.method == "GET":
        return redirect(_safe_next(request))
    form = OTPTokenForm(request.POST or None)
    enrolled = twofactor.totp_device(user) is not None
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"]
        if enrolled:
            if twofactor.verify(request=request, token=token):
                return redirect(_safe_next(request))
            form.add_error("token", "验证码不正确或已使用，请重试（多次错误后须等待更长时间）")
        else:
            try:
                codes = twofactor.confirm_enrolment(request=request, token=token)
            except DomainError as exc:
                form.add_error("token", exc.message)
            else:
                return render(request, "core/two_factor_codes.html", {"codes": codes, "next": _safe_next(request)})
    context = {"form": form, "enrolled": enrolled, "next": request.GET.get("next", "")}
    if not enrolled:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # A pending enrolment is kept across GETs: the page's own background requests (the bell) are sent here
        # too while the second factor is missing, and a new key on each would leave the QR code on screen stale.
        device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
        if device is None or request.GET.get("restart"):
            device = twofactor.start_enrolment(user)
        context.update(qr=twofactor.qr_svg(device), secret=twofactor.secret_text(device))
    return render(request, "core/two_factor.html", context)


@login_required
@permission_required("core.manage_security", raise_exception=True)
def two_factor_reset(request):
    """The security administrator resets a staff member's second factor (a lost phone)."""
    from django.contrib.auth import get_user_model

    from . import twofactor
    from .forms import OTPResetForm

    form = OTPResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        from .security import login_name

        target = get_user_model().objects.filter(username=login_name(form.cleaned_data["username"])).first()
        if target is None:
            form.add_error("username", "没有这个用户名")
        else:
            try:
                twofactor.reset(actor=request.user, user=target)
            except DomainError as exc:
                form.add_error("username", exc.message)
            else:
                messages.success(request, f"已重置 {target.username} 的双因素认证，其下次登录时须重新绑定。")
                return redirect("core:two_factor_reset")
    return render(request, "core/two_factor_reset.html", {"form": form})


@login_required
@workbench_required
def home(request):
    from .home import rendered_cards

    return render(request, "core/home.html", {"today": timezone.localdate(), "home_cards": rendered_cards(request)})


@login_required
@permission_required("core.view_orgunit", raise_exception=True)
def org_tree(request):
    units = list(OrgUnit.objects.annotate(staff_count=Count("staff")).order_by("path"))
    return render(request, "core/org_tree.html", {"units": units})


@login_required
@workbench_required
def unit_detail(request, code: str):
    """A unit's page: its place in the tree, sub-units and staff. Outside the user's scope it does not exist."""
    unit = get_in_scope_or_404(OrgUnit.objects.select_related("parent", "division"), request.user, "id", code=code)
    children = scope_filter(unit.children.order_by("sort", "code"), request.user, "id")
    members = (
        StaffProfile.objects.filter(unit=unit, user__is_active=True)
        .select_related("user")
        .prefetch_related("user__groups")
        .order_by("staff_code")
    )
    rows = [{"p": p, "roles": [ROLE_NAMES.get(g.name, g.name) for g in p.user.groups.all()]} for p in members]
    return render(request, "core/unit_detail.html", {"unit": unit, "children": children, "rows": rows})


def _prepare_staff_rows(rows) -> None:
    today = timezone.localdate()
    for p in rows:
        p.role_names = [ROLE_NAMES.get(g.name, g.name) for g in p.user.groups.all()]
        p.credential_ok = p.has_valid_credential(today)


def _credential_text(p) -> str:
    if not p.credential_no:
        return ""
    return f"{p.credential_no}（{'有效' if p.credential_ok else '已过期'}）"


#: 工作人员: by unit (the org tree's order), then staff number.
STAFF_LIST = lists.Spec(
    key="core.staff", title="工作人员", default_sort="unit", default_note="按单位和工号",
    export_permission="core.manage_org", prepare=_prepare_staff_rows,
    columns=(lists.Column("staff_code", "工号", sort="staff_code", width=12),
             lists.Column("name", "姓名", "user.first_name", sort="user__first_name", width=10),
             lists.Column("username", "用户名", "user.username", sort="user__username", width=16),
             lists.Column("unit", "单位", "unit.name", sort=("unit__path", "staff_code"), width=28),
             lists.Column("roles", "角色", lambda p: "、".join(p.role_names), width=30),
             lists.Column("credential", "执法证", _credential_text, sort="credential_expiry", width=24),
             lists.Column("credential_expiry", "执法证有效期至", sort="credential_expiry", width=14, header=False),
             lists.Column("active", "状态", lambda p: "启用" if p.user.is_active else "停用", sort="user__is_active",
                          width=8)))


@login_required
@permission_required("core.manage_org", raise_exception=True)
def staff_list(request):
    """Staff with their unit, roles and enforcement credential: a search, a unit (with the units below it), the
    total, sorting and the export of the filtered rows (core.lists)."""
    from django.db.models import Q

    qs = StaffProfile.objects.select_related("user", "unit").prefetch_related(Prefetch("user__groups"))
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(Q(user__first_name__contains=q) | Q(staff_code__icontains=q) | Q(user__username__icontains=q))
    unit = request.GET.get("unit", "")
    if unit:
        qs = qs.filter(unit__path__startswith=get_object_or_404(OrgUnit, code=unit).path)
    if lists.wants_export(request):
        return lists.export(request, STAFF_LIST, qs, filters={"q": q, "unit": unit})
    listing = lists.show(request, STAFF_LIST, qs)
    return render(request, "core/staff_list.html", {
        "page": listing.page, "listing": listing, "q": q, "unit": unit, "units": OrgUnit.objects.order_by("path"),
        "export_allowed": request.user.has_perm(STAFF_LIST.export_permission)})


@login_required
@permission_required("core.manage_org", raise_exception=True)
def staff_create(request):
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.staff_create(
                actor=request.user,
                username=data["username"],
                full_name=data["full_name"],
                unit=data["unit"],
                staff_code=data["staff_code"],
                roles=data["roles"],
                password=data["password"] or None,
                title=data["title"],
                phone=data["phone"],
                credential_no=data["credential_no"],
                credential_expiry=data["credential_expiry"],
            )
        except DomainError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, f"已创建工作人员 {data['full_name']}。")
            return redirect("core:staff_list")
    return render(request, "core/staff_form.html", {"form": form})


def _month_grid(year: int, month: int):
    overrides = {o.date: o for o in WorkdayOverride.objects.filter(date__year=year, date__month=month)}
    weeks = []
    for week in pycal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            try:
                status = "work" if workdays.is_workday(day) else "rest"
            except workdays.CalendarUnknown:
                status = "unknown"
            row.append(
                {
                    "date": day,
                    "in_month": day.month == month,
                    "status": status,
                    "override": overrides.get(day),
                    "weekend": day.weekday() >= 5,
                }
            )
        weeks.append(row)
    return weeks


@login_required
@permission_required("core.manage_calendar", raise_exception=True)
def calendar_view(request):
    today = timezone.localdate()
    try:
        year = int(request.GET.get("year", today.year))
        month = int(request.GET.get("month", today.month))
        dt.date(year, month, 1)
    except ValueError:
        year, month = today.year, today.month
    form = WorkdayForm(prefix="day")
    year_form = CalendarYearForm(prefix="year")
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "set":
                form = WorkdayForm(request.POST, prefix="day")
                if form.is_valid():
                    services.workday_set(actor=request.user, **form.cleaned_data)
                    messages.success(request, f"已设置 {form.cleaned_data['date']}。")
                    return redirect(f"{request.path}?year={year}&month={month}")
            elif action == "clear":
                services.workday_clear(actor=request.user, date=dt.date.fromisoformat(request.POST["date"]))
                messages.success(request, "已删除手工调整。")
                return redirect(f"{request.path}?year={year}&month={month}")
            elif action == "year":
                year_form = CalendarYearForm(request.POST, prefix="year")
                if year_form.is_valid():
                    services.calendar_year_confirm(actor=request.user, **year_form.cleaned_data)
                    messages.success(request, f"已确认 {year_form.cleaned_data['year']} 年日历。")
                    return redirect(f"{request.path}?year={year}&month={month}")
        except (DomainError, ValueError, KeyError) as exc:
            messages.error(request, getattr(exc, "message", "输入有误"))
    prev_month = dt.date(year, month, 1) - dt.timedelta(days=1)
    next_month = dt.date(year, month, 28) + dt.timedelta(days=5)
    return render(
        request,
        "core/calendar.html",
        {
            "year": year,
            "month": month,
            "weeks": _month_grid(year, month),
            "form": form,
            "year_form": year_form,
            "prev": prev_month,
            "next": next_month,
            "known_years": sorted(workdays.known_years()),
            "confirmed_years": CalendarYear.objects.all(),
            "overrides": WorkdayOverride.objects.filter(date__year=year),
        },
    )


@login_required
@permission_required("core.manage_rules", raise_exception=True)
def rules_view(request):
    if request.method == "POST":
        key = request.POST.get("key", "")
        try:
            import json

            value = json.loads(request.POST.get("value", ""))
            since = dt.date.fromisoformat(request.POST.get("effective_from", ""))
            services.rule_set(
                actor=request.user, key=key, value=value, effective_from=since, note=request.POST.get("note", "")
            )
            messages.success(request, f"已设置规则 {key}。")
            return redirect("core:rules")
        except ValueError:
            messages.error(request, '取值须为 JSON（如 7、0.03、true、"文本"），日期须为 YYYY-MM-DD。')
        except DomainError as exc:
            messages.error(request, exc.message)
    values = RuleValue.objects.all()
    rows = [
        {"def": d, "current": rule(d.key), "history": [v for v in values if v.key == d.key]}
        for d in sorted(RULES.values(), key=lambda d: d.key)
    ]
    return render(request, "core/rules.html", {"rows": rows})


@login_required
@permission_required("core.manage_security", raise_exception=True)
def security_policy(request):
    policy = SecurityPolicy.current()
    form = SecurityPolicyForm(request.POST or None, instance=SecurityPolicy.objects.get(pk=policy.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.security_policy_update(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        else:
            messages.success(request, "安全策略已更新。")
            return redirect("core:security_policy")
    return render(request, "core/security_policy.html", {"form": form})


def _audit_filters(request) -> tuple[dict, object]:
    """The audit log's filters from the query string (action prefix, actor by username or name, a date range) and
    the filtered entries; a malformed date is ignored and said."""
    from django.db.models import Q
    from django.utils.dateparse import parse_date

    qs = AuditEntry.objects.all()
    f = {"action": request.GET.get("action", "").strip()[:100], "actor": request.GET.get("actor", "").strip()[:150],
         "date_from": None, "date_to": None, "problems": []}
    if f["action"]:
        qs = qs.filter(action__startswith=f["action"])
    if f["actor"]:
        who = f["actor"]
        names = Q(actor__username=who) | Q(actor__last_name__contains=who) | Q(actor__first_name__contains=who)
        qs = qs.filter(Q(actor_label=who) | names)
    for key, label, lookup in (("date_from", "起始日期", "at__date__gte"), ("date_to", "截止日期", "at__date__lte")):
        raw = request.GET.get(key, "").strip()
        if not raw:
            continue
        try:
            day = parse_date(raw)
        except ValueError:
            day = None
        if day is None:
            f["problems"].append(f"{label}「{raw[:20]}」不是 YYYY-MM-DD 格式的日期，未按它筛选")
            continue
        f[key] = day
        qs = qs.filter(**{lookup: day})
    return f, qs


def _prepare_audit_rows(rows) -> None:
    from .audit_labels import action_label, diff

    for e in rows:
        e.action_label = action_label(e.action)
        e.actor_name = (e.actor.get_full_name() or e.actor.username) if e.actor_id else (e.actor_label or "系统")
        e.diff = diff(e)


AUDIT_LIST = lists.Spec(
    key="core.audit", title="审计日志", default_sort="-id", default_note="最新在前",
    export_permission="core.view_auditentry_log", prepare=_prepare_audit_rows,
    columns=(lists.Column("id", "#", "pk", sort="id", width=8),
             lists.Column("at", "时间", width=18),
             lists.Column("actor", "操作人", "actor_name", width=14),
             lists.Column("action", "操作", "action_label", sort="action", width=30),
             lists.Column("object", "对象", "object_repr", width=30),
             lists.Column("changes", "变更", width=40)))


@login_required
@permission_required("core.view_auditentry_log", raise_exception=True)
def audit_log(request):
    """The audit log as people read it: actions in Chinese, people by name, each change as before → after, filters
    by action, person and date, numbered pages with the total."""
    f, qs = _audit_filters(request)
    listing = lists.show(request, AUDIT_LIST, qs.select_related("actor"))
    report = None
    anchors = audit.read_anchors()
    if request.GET.get("verify"):
        report = audit.verify_with_anchors(anchors)
    return render(request, "core/audit_log.html", {
        "listing": listing, "page": listing.page, "f": f, "action": f["action"], "actor": f["actor"],
        "report": report, "anchors": anchors, "latest_anchor": anchors[-1] if anchors else None,
        "export_allowed": False})


class _Echo:
    def write(self, value):
        return value


@login_required
@permission_required("core.view_auditentry_log", raise_exception=True)
def audit_export(request):
    """The audit log as CSV with its chain values (seq, prev_hash, hash), for the assessor; the export is audited."""
    import csv

    from django.http import StreamingHttpResponse

    f, qs = _audit_filters(request)
    qs = qs.filter(seq__isnull=False)
    with transaction.atomic():
        audit.record(actor=request.user, action="core.audit.exported", object_type="core.auditentry",
                     changes={"filter": [None, {"action": f["action"], "actor": f["actor"],
                                                "date_from": str(f["date_from"] or ""),
                                                "date_to": str(f["date_to"] or "")}]})
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse((writer.writerow(r) for r in audit.export_rows(qs)),
                                     content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="audit-{timezone.localdate():%Y%m%d}.csv"'
    return response


@login_required
@permission_required("core.view_auditentry_log", raise_exception=True)
def audit_anchors(request):
    """The daily signed anchors (JSON Lines), to keep outside the system and check with ``jianguan audit verify``."""
    body = "".join(json.dumps(a, sort_keys=True) + "\n" for a in audit.read_anchors())
    response = HttpResponse(body, content_type="application/jsonl; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-anchors.jsonl"'
    return response


@login_required
@workbench_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _, new_key = services.api_token_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(exc.field, exc.message)
        form = TokenForm()
    items = ApiToken.objects.filter(user=request.user)
    return render(request, "core/tokens.html", {"form": form, "items": items, "new_key": new_key})


@login_required
@workbench_required
@require_POST
def token_revoke(request, pk: int):
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    services.api_token_revoke(actor=request.user, token=token)
    messages.success(request, f"令牌「{token.name}」已吊销。")
    return redirect("core:tokens")


@require_GET
@never_cache
def healthz(request):
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
    except Exception as exc:  # any database failure is "unhealthy"
        return JsonResponse(
            {"status": "error", "database": "unreachable", "detail": exc.__class__.__name__}, status=503
        )
    return JsonResponse({"status": "ok", "database": "ok", "vendor": connection.vendor})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    # No request context: whatever broke the request may break the context processors too.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)


def rate_limited(request, exception=None):
    """Too many requests: 429 with Retry-After, in the API's error format for /api/ and a Chinese page elsewhere."""
    retry = "60"
    if request.path.startswith("/api/"):
        response = JsonResponse({"error": {"code": "rate_limited", "message": "请求过于频繁，请稍后再试"}}, status=429)
    else:
        response = render(request, "429.html", status=429)
    response["Retry-After"] = retry
    return response


# --- in-app notifications (the bell) ---------------------------------------------------------------------------------


@login_required
@workbench_required
def notification_badge(request):
    """The bell's badge, fetched by the page after it loads (htmx), so no page pays a query for it."""
    from .models import Notification

    unread = Notification.objects.filter(recipient=request.user, read_at__isnull=True).count()
    return render(request, "core/_notification_badge.html", {"unread": unread})


@login_required
@workbench_required
def notifications(request):
    """The user's own notifications, unread first then newest, numbered pages; mark one or all read (POST)."""

    from .models import Notification

    mine = Notification.objects.filter(recipient=request.user)
    if request.method == "POST":
        which = mine.filter(read_at__isnull=True)
        pk = request.POST.get("pk", "")
        if pk.isdigit():
            which = which.filter(pk=int(pk))
        with transaction.atomic():
            n = which.update(read_at=timezone.now())
            if n:  # a second click finds nothing unread: no write, no entry
                audit.record(actor=request.user, action="core.notification.read", object_type="core.notification",
                             object_id=pk if pk.isdigit() else "", object_repr=f"标为已读 {n} 条",
                             changes={"count": [None, n]})
        target = request.POST.get("next", "")
        if target.startswith("/") and not target.startswith("//"):
            return redirect(target)
        return redirect("core:notifications")
    unread_only = request.GET.get("unread") == "1"
    qs = mine.filter(read_at__isnull=True) if unread_only else mine
    q = request.GET.get("q", "").strip()[:50]
    if q:
        qs = qs.filter(message__contains=q)
    sms = request.GET.get("sms", "")
    if sms in ("1", "0"):
        qs = qs.filter(sms_sent=sms == "1")
    else:
        sms = ""
    if lists.wants_export(request):
        return lists.export(request, NOTIFICATION_LIST, qs, filters={"unread": unread_only, "q": q, "sms": sms})
    listing = lists.show(request, NOTIFICATION_LIST, qs)
    return render(request, "core/notifications.html", {
        "page": listing.page, "listing": listing, "unread_only": unread_only, "q": q, "sms": sms,
        "unread": mine.filter(read_at__isnull=True).count(),
        "export_allowed": request.user.has_perm(NOTIFICATION_LIST.export_permission)})


def _unread_first():
    from django.db.models import Case, IntegerField, Value, When

    return Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())


#: 站内通知: one's own, unread first, the latest first within each.
NOTIFICATION_LIST = lists.Spec(
    key="core.notifications", title="站内通知", default_sort="state", default_note="未读的在前，最近的在前",
    export_permission="core.access_workbench", page_size=30,
    columns=(
        lists.Column("created_at", "时间", sort="created_at", width=16),
        lists.Column("message", "内容", width=60),
        lists.Column("sms_sent", "已发短信", sort=("sms_sent", F("created_at").desc()), width=10),
        lists.Column("state", "状态", lambda n: "已读" if n.read_at else "未读",
                     sort=(_unread_first(), F("created_at").desc()), width=8),
        lists.Column("read_at", "已读时间", sort=("read_at", F("created_at").desc()), header=False, width=16),
        lists.Column("link", "链接", header=False, width=40),
    ))
