"""Portal: file a complaint or report, follow it with number + code, company-level statistics.

Against floods: a per-IP rate limit (rules ``complaints.intake_rate`` / ``tracking_rate``; 429 with Retry-After) and
a captcha. Against double submission: a one-time token in the form, so a second POST returns the first number.
The tracking page shows a complaint only to whoever holds its code, and the same generic message for an unknown
number and a wrong code.

What the browser is entitled to see (the last receipt, the complaints whose code it gave) is kept in two signed,
HttpOnly cookies limited to ``/complaints/``, not in the session: a public submission then writes nothing but the
complaint itself (no session row, no second transaction), and a signed cookie cannot be forged any more than a
session id can be guessed. They expire like a session (``SESSION_COOKIE_AGE``).
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST
from django_ratelimit.decorators import ratelimit

from jianguan.core.errors import DomainError
from jianguan.core.rules import rule
from jianguan.core.views import rate_limited
from jianguan.registry import uscc as uscc_mod
from jianguan.registry.models import Entity, EntityStatus

from . import forms, selectors, services
from .models import Channel, Complaint, Evidence, Kind, Status
from .views import form_errors_from

RECEIPT_COOKIE = "complaints_receipt"
TRACKED_COOKIE = "complaints_tracked"
COOKIE_PATH = "/complaints/"
TRACK_FAILED = "编号或查询码不正确，请核对后重试。"


def _read_cookie(request, name: str):
    value = request.COOKIES.get(name)
    if not value:
        return None
    try:
        return signing.loads(value, salt=f"jianguan.complaints.{name}", max_age=settings.SESSION_COOKIE_AGE)
    except signing.BadSignature:  # also an expired one
        return None


def _set_cookie(response, name: str, value) -> None:
    response.set_cookie(
        name,
        signing.dumps(value, salt=f"jianguan.complaints.{name}", compress=True),
        max_age=settings.SESSION_COOKIE_AGE,
        path=COOKIE_PATH,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def _receipt_response(receipt: dict, *, tracked=None, request=None):
    """The redirect to the receipt page, carrying the receipt (and the complaint now followed) in cookies."""
    response = redirect("complaints_public:receipt")
    _set_cookie(response, RECEIPT_COOKIE, receipt)
    if tracked is not None:
        _remember(request, response, tracked)
    return response


def intake_rate(group, request):
    return rule("complaints.intake_rate") or None


def tracking_rate(group, request):
    return rule("complaints.tracking_rate") or None


def submit_from_form(form, *, actor, channel: str, received_on=None):
    """Resolve the business the form names and register the complaint. Shared with the workbench's staff entry."""
    data = form.cleaned_data
    query = data["entity_query"].strip()
    code = uscc_mod.normalize(data.get("entity_uscc") or "")
    if not code and len(uscc_mod.normalize(query)) == 18 and uscc_mod.normalize(query).isalnum():
        code = uscc_mod.normalize(query)
    entity = services.find_entity(uscc=code, name=query)
    if entity is None and code and not data.get("entity_uscc"):
        raise DomainError(
            f"登记系统中没有统一社会信用代码为 {code} 的经营者，请改为填写经营者名称", field="entity_query"
        )
    return services.complaint_submit(
        actor=actor,
        kind=data["kind"],
        channel=channel,
        description=data["description"],
        entity=entity,
        entity_name=query if entity is None else "",
        entity_uscc="" if entity else (code or ""),
        entity_address=data.get("entity_address", ""),
        division_code=data.get("division") or "",
        person_name=data.get("person_name", ""),
        person_phone=data.get("person_phone", ""),
        person_email=data.get("person_email", ""),
        person_address=data.get("person_address", ""),
        anonymous=data.get("anonymous", False),
        category=data["category"],
        demand=data.get("demand", ""),
        amount=data.get("amount"),
        occurred_on=data.get("occurred_on"),
        received_on=received_on,
        uploads=data.get("files") or [],
        idempotency_key=data["token"],
    )


@never_cache
@ratelimit(key="ip", rate=intake_rate, method="POST", block=False)
def new(request):
    if getattr(request, "limited", False):
        return rate_limited(request)
    form = forms.PublicIntakeForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        token = request.POST.get("token", "")
        receipt = _read_cookie(request, RECEIPT_COOKIE)
        if receipt and receipt.get("token") == token:
            return redirect("complaints_public:receipt")  # the same form again: the same number
        # Before the captcha is checked: the captcha of a second click has already been used up by the first.
        number = (
            Complaint.objects.filter(idempotency_key=token).values_list("number", flat=True).first()
            if (token)
            else None
        )
        if number is not None:
            return _receipt_response({"token": token, "number": number, "code": ""})
        if form.is_valid():
            try:
                complaint, code, _created = submit_from_form(form, actor="public", channel=Channel.PORTAL)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                return _receipt_response(
                    {"token": token, "number": complaint.number, "code": code or ""}, tracked=complaint, request=request
                )
    return render(request, "complaints/public/new.html", {"form": form}, status=422 if form.errors else 200)


@never_cache
def receipt(request):
    data = _read_cookie(request, RECEIPT_COOKIE)
    if not data:
        return redirect("complaints_public:new")
    complaint = Complaint.objects.select_related("unit", "entity").filter(number=data["number"]).first()
    if complaint is None:
        return redirect("complaints_public:new")
    return render(
        request,
        "complaints/public/receipt.html",
        {
            "number": complaint.number,
            "received_on": complaint.received_on,
            "business": complaint.entity.name if complaint.entity_id else complaint.entity_name,
            "code": data.get("code", ""),
            "unit": complaint.unit.name,
            "kind": complaint.get_kind_display(),
            "registered": complaint.entity_id is not None,
            "deadline": complaint.next_deadline(),
        },
    )


def _tracked_ids(request) -> list[int]:
    ids = _read_cookie(request, TRACKED_COOKIE)
    return ids if isinstance(ids, list) else []


def _remember(request, response, complaint) -> None:
    """This browser may now follow ``complaint`` (the last ten it has shown a code for)."""
    tracked = [n for n in _tracked_ids(request) if n != complaint.pk][-9:]
    _set_cookie(response, TRACKED_COOKIE, [*tracked, complaint.pk])


def _tracked(request, number: str) -> Complaint:
    complaint = Complaint.objects.select_related("unit").filter(number=number).first()
    if complaint is None or complaint.pk not in _tracked_ids(request):
        raise Http404
    return complaint


@never_cache
@ratelimit(key="ip", rate=tracking_rate, method="POST", block=False)
def track(request):
    if getattr(request, "limited", False):
        return rate_limited(request)
    form = forms.TrackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        number = form.cleaned_data["number"].strip().upper()
        complaint = Complaint.objects.filter(number=number).first()
        if complaint is not None and services.code_matches(complaint, form.cleaned_data["code"]):
            response = redirect("complaints_public:status", number=complaint.number)
            _remember(request, response, complaint)
            return response
        form.add_error(None, TRACK_FAILED)
    elif request.method == "POST":
        form.errors.clear()
        form.add_error(None, TRACK_FAILED)
    return render(request, "complaints/public/track.html", {"form": form}, status=422 if form.errors else 200)


@never_cache
@require_GET
def status(request, number: str):
    complaint = _tracked(request, number)
    return render(request, "complaints/public/status.html", _status_context(complaint))


def _status_context(complaint, rate_form=None) -> dict:
    can_rate = (
        complaint.kind == Kind.COMPLAINT
        and not complaint.satisfaction
        and complaint.status in (Status.AGREED, Status.TERMINATED, Status.CLOSED)
    )
    return {
        "c": complaint,
        "events": list(complaint.events.order_by("at", "id").values("at", "public_text")),
        "deadline": complaint.next_deadline(),
        "evidence": list(complaint.evidence.values("token", "original_name", "size")),
        "rate_form": rate_form or (forms.RateForm() if can_rate else None),
    }


@require_POST
def rate(request, number: str):
    complaint = _tracked(request, number)
    form = forms.RateForm(request.POST)
    if form.is_valid():
        try:
            services.complaint_rate(actor="public", complaint=complaint, satisfaction=form.cleaned_data["satisfaction"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("complaints_public:status", number=number)
    return render(request, "complaints/public/status.html", _status_context(complaint, form), status=422)


@never_cache
def evidence(request, number: str, token: str):
    complaint = _tracked(request, number)
    item = get_object_or_404(Evidence, complaint=complaint, token=token)
    response = FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.original_name, content_type=item.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@ratelimit(key="ip", rate="60/m", block=False)
def entity_lookup(request):
    """Up to 10 registered businesses by code or name fragment: public registration data only."""
    if getattr(request, "limited", False):
        return rate_limited(request)
    q = request.GET.get("q", "").strip()
    if len(q) < 2:
        return JsonResponse({"results": []})
    code = uscc_mod.normalize(q)
    qs = Entity.objects.filter(status=EntityStatus.ACTIVE)
    qs = qs.filter(uscc=code) if len(code) == 18 and code.isalnum() else qs.filter(name__contains=q)
    # the district too, so that choosing a business fills the form's 经营者所在区县 (registration data, nothing personal)
    rows = [{"uscc": r["uscc"], "name": r["name"], "address": r["address"], "division": r["division_id"],
             "division_name": r["division__name"]}
            for r in qs.order_by("id").values("uscc", "name", "address", "division_id", "division__name")[:10]]
    return JsonResponse({"results": rows})


@require_GET
def stats(request):
    q = request.GET.get("q", "").strip()[:50]
    return render(request, "complaints/public/stats.html", {"table": selectors.public_stats_table(q=q), "q": q})
