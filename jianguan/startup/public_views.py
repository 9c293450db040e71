"""The applicant's side of 企业开办: name check, the application wizard, status, licence, notices, objections."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from jianguan.core.errors import DomainError, TransitionNotAllowed
from jianguan.registry.models import Entity

from . import approval, forms, licence, namecheck, permits, selectors, services
from .models import Application, CompanionItem

Kind = Application.Kind
STEPS = {
    Kind.ESTABLISH: [
        ("name", "企业名称"),
        ("basics", "住所与经营"),
        ("people", "法定代表人与股东"),
        ("review", "确认提交"),
    ],
    Kind.CHANGE: [("name", "企业名称"), ("basics", "住所与经营"), ("people", "法定代表人"), ("review", "确认提交")],
    Kind.DEREGISTER: [("reason", "注销原因"), ("review", "确认提交")],
    Kind.SIMPLE_DEREGISTER: [("reason", "注销原因与承诺"), ("review", "确认提交")],
}


def public_login_required(view):
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated or not hasattr(request.user, "public_profile"):
            return redirect_to_login(request.get_full_path(), "/account/login/")
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def index(request):
    entities = []
    if request.user.is_authenticated and hasattr(request.user, "public_profile"):
        entities = _my_entities(request.user)
    return render(request, "startup/public/index.html", {"entities": entities})


def _my_entities(user) -> list[Entity]:
    ids = set(
        Application.objects.filter(applicant=user, kind=Kind.ESTABLISH, state=Application.State.APPROVED).values_list(
            "entity_id", flat=True
        )
    )
    profile = user.public_profile
    if profile.entity_id:
        ids.add(profile.entity_id)
    return list(Entity.objects.filter(pk__in=ids).order_by("id"))


# --- name check ---------------------------------------------------------------------------------------------------


@require_GET
def name_check(request):
    form = forms.NameCheckForm(request.GET or None)
    result = _name_check_result(form) if request.GET.get("name") else None
    return render(request, "startup/public/name_check.html", {"form": form, **_offer_apply(request, form, result)})


@require_GET
def scope_permits(request):
    """htmx partial on the wizard's 住所与经营 step: the licences the business scope typed so far needs."""
    scope = (request.GET.get("business_scope") or "")[:2000]
    return render(request, "startup/partials/scope_permits.html", {"permits": permits.needed(scope), "typed": True})


@require_GET
def name_check_results(request):
    """htmx partial: the live result for a full name typed on the public page, or for the wizard's name parts."""
    if "name_trade" in request.GET:
        get = request.GET
        parts = namecheck.NameParts(
            get.get("name_division", "").strip(),
            get.get("name_trade", "").strip(),
            get.get("name_industry", "").strip(),
            get.get("name_form", "").strip(),
        )
        app = None
        if request.user.is_authenticated and get.get("application"):
            app = Application.objects.filter(pk=get["application"], applicant=request.user).first()
        result = (
            namecheck.check_name(
                parts,
                entity_kind=get.get("entity_kind") or None,
                division_code=(app.division_id if app else None),
                industry_code=(app.industry_id if app else None),
                exclude_entity_id=(app.entity_id if app else None),
            )
            if parts.trade
            else None
        )
    else:
        form = forms.NameCheckForm(request.GET)
        result = _name_check_result(form)
        return render(request, "startup/partials/name_check_result.html", _offer_apply(request, form, result))
    return render(request, "startup/partials/name_check_result.html", {"result": result})


def _offer_apply(request, form, result) -> dict:
    """The public name check's result, ending with 用此名称申报 when the name may be declared."""
    ctx = {"result": result, "offer_apply": bool(result and result.clean)}
    if ctx["offer_apply"]:
        data = form.cleaned_data
        ctx.update(apply_name=result.parts.full, apply_division=data["division"].code if data["division"] else "",
                   apply_industry=data["industry"].code if data["industry"] else "",
                   logged_in=hasattr(request.user, "public_profile") if request.user.is_authenticated else False,
                   login_next=reverse("startup_public:name_check") + "?" + request.GET.urlencode())
    return ctx


def _name_check_result(form):
    if not form.is_valid():
        return None
    data = form.cleaned_data
    parts = namecheck.parse_name(data["name"])
    return namecheck.check_name(
        parts,
        entity_kind=None,
        division_code=data["division"].code if data["division"] else None,
        industry_code=data["industry"].code if data["industry"] else None,
    )


# --- applications -------------------------------------------------------------------------------------------------


@public_login_required
def my_applications(request):
    page = Paginator(selectors.applications_of(request.user).order_by("-id"), 20).get_page(request.GET.get("page"))
    return render(
        request, "startup/public/my_applications.html", {"page": page, "entities": _my_entities(request.user)}
    )


@public_login_required
@require_POST
def create(request):
    """新的设立登记 (or 用此名称申报 from the name check): the applicant's open draft is reopened, else one is made."""
    name = (request.POST.get("name") or "").strip()[:100]
    try:
        app = services.application_create(actor=request.user, name=name)
        extra = {}
        division = request.POST.get("division") or ""
        if division and not app.division_id and forms.districts().filter(pk=division).exists():
            extra["division_id"] = division
        industry = request.POST.get("industry") or ""
        if industry and not app.industry_id and forms.industries().filter(pk=industry).exists():
            extra["industry_id"] = industry
        reopened = app.reopened
        if extra:
            app = services.application_update(actor=request.user, application=app, **extra)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("startup_public:index")
    if reopened:
        messages.info(request, f"您有一份尚未提交的设立登记申请（{app.display_name}），已为您打开，请继续填写。"
                      + (f"名称已改为「{app.name}」。" if name else ""))
    elif name:
        messages.success(request, f"已用名称「{app.name}」开始设立登记。")
    return redirect("startup_public:step", pk=app.pk, step="name")


@public_login_required
@require_POST
def entity_apply(request, uscc: str, kind: str):
    """Start a change or deregistration of an entity the user may act for."""
    if kind not in (Kind.CHANGE, Kind.DEREGISTER, Kind.SIMPLE_DEREGISTER):
        raise Http404
    entity = get_object_or_404(Entity, uscc=uscc)
    if not services.may_act_for_entity(request.user, entity):
        raise Http404
    try:
        app = services.application_create(actor=request.user, kind=kind, entity=entity)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("startup_public:my_applications")
    return redirect("startup_public:step", pk=app.pk, step=STEPS[kind][0][0])


def _step_context(app, step):
    steps = STEPS[Kind(app.kind)]
    names = [s for s, _label in steps]
    if step not in names:
        raise Http404
    i = names.index(step)
    return {
        "app": app,
        "steps": steps,
        "step": step,
        "step_index": i,
        "next_step": names[i + 1] if i + 1 < len(names) else None,
        "prev_step": names[i - 1] if i > 0 else None,
    }


@public_login_required
@require_http_methods(["GET", "POST"])
def step(request, pk: int, step: str):
    app = selectors.application_of(request.user, pk)
    ctx = _step_context(app, step)
    if not app.is_editable:
        return redirect("startup_public:detail", pk=app.pk)
    post = request.POST if request.method == "POST" else None
    form = formset = None
    if step == "name":
        form = forms.NameForm(post, instance=app)
        ctx["name_result"] = None if post else _wizard_name_result(app)
    elif step == "basics":
        form = forms.BasicsForm(post, instance=app)
        ctx["permits"] = permits.needed(app.business_scope)
    elif step == "people":
        form = forms.PeopleForm(post, instance=app)
        if app.kind == Kind.ESTABLISH:
            formset = forms.ShareholderFormSet(post, queryset=app.shareholders.all(), prefix="sh")
            # one empty block to start; 添加股东 adds more (startup/shareholders.js clones formset.empty_form)
    elif step == "reason":
        form = forms.DeregisterForm(post, instance=app, simple=app.kind == Kind.SIMPLE_DEREGISTER)
    elif step == "review":
        ctx.update(_review_context(app))
        offered = [p for p in ctx["permits"] if p["by_commitment"]] if app.kind == Kind.ESTABLISH else []
        form = forms.ReviewForm(post, offered=offered,
                                initial={"companion_codes": app.companion_codes,
                                         "commitment_permits": app.commitment_permits})
    if post is not None:
        valid = form.is_valid() and (formset is None or formset.is_valid())
        rows = forms.shareholder_rows(formset) if formset is not None and valid else None
        if rows is not None:
            for problem in forms.shareholder_problems(rows):
                formset._non_form_errors = formset.error_class([problem])
                valid = False
        if valid:
            try:
                data = {k: v for k, v in form.cleaned_data.items()}
                if step == "review" and "commitment_permits" not in data:
                    data["commitment_permits"] = []  # nothing offered for this scope: no stale choice kept
                if step != "review" or app.kind == Kind.ESTABLISH:
                    services.application_update(actor=request.user, application=app, **data)
                if rows is not None:
                    services.shareholders_replace(actor=request.user, application=app, rows=rows)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                if step == "review":
                    return _submit(request, app)
                if "save" in request.POST:
                    messages.success(request, "草稿已保存。")
                    return redirect("startup_public:step", pk=app.pk, step=step)
                return redirect("startup_public:step", pk=app.pk, step=ctx["next_step"])
    ctx.update({"form": form, "formset": formset})
    return render(request, f"startup/public/step_{step}.html", ctx)


def _wizard_name_result(app):
    if not app.name_trade:
        return None
    return namecheck.check_name(
        approval.parts_of(app),
        entity_kind=app.entity_kind,
        division_code=app.division_id,
        industry_code=app.industry_id,
        exclude_entity_id=app.entity_id,
    )


def _review_context(app):
    return {
        "missing": services.missing_fields(app),
        "shareholders": list(app.shareholders.all()),
        "name_result": _wizard_name_result(app) if app.kind in (Kind.ESTABLISH, Kind.CHANGE) else None,
        "change_preview": services._entity_changes(app) if app.kind == Kind.CHANGE else None,
        "permits": permits.needed(app.business_scope) if app.kind in (Kind.ESTABLISH, Kind.CHANGE) else [],
    }


def _submit(request, app):
    try:
        app = services.application_submit(actor=request.user, application=app)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("startup_public:step", pk=app.pk, step="review")
    if app.state == Application.State.APPROVED:
        messages.success(request, "申请已通过智慧审批，营业执照已生成。")
    elif app.state == Application.State.PUBLIC_NOTICE:
        messages.success(request, f"简易注销已进入公告期，至 {app.notice_ends_on} 届满。")
    else:
        messages.info(request, "申请已提交，转登记机关人工审核。")
    return redirect("startup_public:detail", pk=app.pk)


@public_login_required
@require_POST
def submit(request, pk: int):
    app = selectors.application_of(request.user, pk)
    return _submit(request, app)


@public_login_required
def detail(request, pk: int):
    app = selectors.application_of(request.user, pk)
    can_act = (
        app.kind == Kind.ESTABLISH
        and app.state == Application.State.APPROVED
        and app.entity is not None
        and app.entity.status == "active"
    )
    return render(
        request,
        "startup/public/detail.html",
        {
            "app": app,
            "decisions": app.decisions.all(),
            "items": app.companion_items.select_related("updated_by"),
            "shareholders": app.shareholders.all(),
            "steps": STEPS[Kind(app.kind)],
            "statuses": CompanionItem.Status.choices,
            "can_act": can_act,
            "entity_list": [app.entity] if can_act else [],
            "permits": _still_needed(app),
            "granted": list(app.entity.licences.filter(by_commitment=True).select_related("kind"))
            if app.kind == Kind.ESTABLISH and app.entity_id else [],
        },
    )


def _still_needed(app) -> list[dict]:
    """The licences the scope needs that the entity does not hold yet (a permit granted on commitment is held)."""
    if app.kind not in (Kind.ESTABLISH, Kind.CHANGE):
        return []
    held = set(app.entity.licences.values_list("kind_id", flat=True)) if app.entity_id else set()
    return [p for p in permits.needed(app.business_scope) if p["code"] not in held]


@public_login_required
@require_POST
def companion_update(request, pk: int, code: str):
    app = selectors.application_of(request.user, pk)
    item = get_object_or_404(CompanionItem, application=app, code=code)
    form = forms.CompanionForm(request.POST)
    if form.is_valid():
        services.companion_item_set(actor=request.user, item=item, **form.cleaned_data)
        messages.success(request, f"已更新「{item.label}」。")
    return redirect("startup_public:detail", pk=app.pk)


@public_login_required
def licence_pdf(request, pk: int):
    app = selectors.application_of(request.user, pk)
    return licence_response(request, app)


def licence_response(request, app: Application) -> HttpResponse:
    if app.kind != Kind.ESTABLISH or app.state != Application.State.APPROVED or app.entity is None:
        raise Http404
    entity = Entity.objects.select_related("registration_authority").get(pk=app.entity_id)
    pdf = licence.licence_pdf(entity, request=request, issued_on=entity.established_on)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="licence-{entity.uscc}.pdf"'
    return response


# --- simplified deregistration notices ----------------------------------------------------------------------------


def notices(request):
    page = Paginator(selectors.public_notices(), 30).get_page(request.GET.get("page"))
    return render(request, "startup/public/notices.html", {"page": page})


@require_http_methods(["GET", "POST"])
def objection(request, pk: int):
    app = get_object_or_404(selectors.public_notices(), pk=pk)
    form = forms.ObjectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.objection_lodge(
                actor=request.user if request.user.is_authenticated else "public", application=app, **form.cleaned_data
            )
        except TransitionNotAllowed as exc:
            messages.error(request, exc.message)
            return redirect(reverse("startup_public:notices"))
        messages.success(request, "异议已提交，登记机关将依法审查。")
        return redirect(reverse("startup_public:notices"))
    return render(request, "startup/public/objection.html", {"app": app, "form": form})
