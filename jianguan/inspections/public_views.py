"""Public pages (“一公开”): plan notices with commitments, result notices with the bundle and the verifier, and
the published results per entity. Read-only, published data only, no personal data of inspectors beyond names."""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache
from pathlib import Path

from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from jianguan.registry.models import Entity

from . import draw
from .models import DrawBatch, InspectionPlan, InspectionTask, ItemResult, TaskMember, TaskStatus

DRAW_FILE = Path(draw.__file__)
VERIFY_FILE = DRAW_FILE.with_name("verify.html")
PUBLIC_BATCH_STATUSES = (
    DrawBatch.Status.COMMITTED,
    DrawBatch.Status.DRAWN,
    DrawBatch.Status.PUBLISHED,
    DrawBatch.Status.SUPERSEDED,
)


def _published_plans():
    return InspectionPlan.objects.filter(status__in=(InspectionPlan.Status.PUBLISHED, InspectionPlan.Status.CLOSED))


def _public_batch(code: str, number: int) -> DrawBatch:
    return get_object_or_404(
        DrawBatch.objects.select_related("plan", "plan__unit", "redraw_of").defer("manifest", "bundle"),
        plan__in=_published_plans(),
        plan__code=code,
        number=number,
        status__in=PUBLIC_BATCH_STATUSES,
    )


def index(request):
    plans = _published_plans().select_related("unit").order_by("-year", "-published_at")
    page = Paginator(plans, 20).get_page(request.GET.get("page"))
    batches = (
        DrawBatch.objects.filter(plan__in=[p.pk for p in page], status__in=PUBLIC_BATCH_STATUSES)
        .defer("manifest", "bundle")
        .order_by("plan_id", "number")
    )
    by_plan: dict[int, list] = {}
    for batch in batches:
        by_plan.setdefault(batch.plan_id, []).append(batch)
    rows = [{"plan": plan, "batches": by_plan.get(plan.pk, [])} for plan in page]
    return render(request, "inspections/public/index.html", {"page": page, "rows": rows})


def plan_notice(request, code: str):
    plan = get_object_or_404(_published_plans().select_related("unit"), code=code)
    batches = list(plan.batches.filter(status__in=PUBLIC_BATCH_STATUSES).defer("manifest", "bundle").order_by("number"))
    return render(
        request, "inspections/public/plan_notice.html", {"plan": plan, "items": plan.items.all(), "batches": batches}
    )


def batch_notice(request, code: str, number: int):
    batch = _public_batch(code, number)
    tasks = []
    if batch.status in (DrawBatch.Status.PUBLISHED, DrawBatch.Status.SUPERSEDED):
        tasks = (
            batch.tasks.select_related("entity")
            .prefetch_related(Prefetch("members", queryset=TaskMember.objects.select_related("inspector")))
            .order_by("position")
        )
    page = Paginator(tasks, 100).get_page(request.GET.get("page")) if tasks else None
    return render(
        request,
        "inspections/public/batch_notice.html",
        {
            "batch": batch,
            "plan": batch.plan,
            "page": page,
            "verify_sha256": hashlib.sha256(_verify_page()[0]).hexdigest(),
            "unassigned": (batch.unassigned_entities or [])[:500]
            if batch.status in (DrawBatch.Status.PUBLISHED, DrawBatch.Status.SUPERSEDED)
            else [],
        },
    )


def _download(text: str, filename: str) -> HttpResponse:
    response = HttpResponse(text.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def bundle_download(request, code: str, number: int):
    """The bundle exactly as stored (its SHA-256 is on the notice)."""
    batch = _public_batch(code, number)
    if batch.status not in (DrawBatch.Status.PUBLISHED, DrawBatch.Status.SUPERSEDED):
        raise Http404
    text = DrawBatch.objects.filter(pk=batch.pk).values_list("bundle", flat=True).get()
    if not text:
        raise Http404
    return _download(text, batch.bundle_filename)


def manifest_download(request, code: str, number: int):
    """The frozen manifest, published with its commitment before the randomness exists: anyone can check that its
    SHA-256 is the commitment, and later that the bundle was computed from it."""
    batch = _public_batch(code, number)
    text = DrawBatch.objects.filter(pk=batch.pk).values_list("manifest", flat=True).get()
    return _download(text, f"manifest-{batch.plan.code}-{batch.number}.json")


def verifier_download(request):
    """draw.py itself — the very file Jianguan runs — as the standalone verifier."""
    response = FileResponse(
        DRAW_FILE.open("rb"), content_type="text/x-python; charset=utf-8", as_attachment=True, filename="draw.py"
    )
    return response


@cache
def _verify_page() -> tuple[bytes, str]:
    """verify.html and its Content-Security-Policy.

    The page served at /inspections/verify/ is the very file offered for download, unchanged, so its inline script
    and style are allowed by their SHA-256 (not by 'unsafe-inline'); its verifier runs in a Web Worker made from a
    blob: URL, and it may fetch bundles from this site only.
    """
    data = VERIFY_FILE.read_bytes()
    text = data.decode()

    def hashes(tag: str) -> str:
        found = re.findall(rf"<{tag}>(.*?)</{tag}>", text, re.S)
        return " ".join(
            "'sha256-" + base64.b64encode(hashlib.sha256(body.encode()).digest()).decode() + "'" for body in found
        )

    policy = (
        f"default-src 'none'; script-src {hashes('script')}; style-src {hashes('style')}; worker-src blob:; "
        "connect-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
    )
    return data, policy


def verifier_page(request):
    """The verifier that runs in the citizen's browser (在浏览器中验证): ?bundle= names a bundle on this site."""
    data, policy = _verify_page()
    response = HttpResponse(data, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = policy
    return response


def verifier_page_download(request):
    """verify.html itself, to keep and to run offline."""
    data, _policy = _verify_page()
    response = HttpResponse(data, content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify.html"'
    return response


def _published_tasks():
    return (
        InspectionTask.objects.filter(status=TaskStatus.PUBLISHED)
        .select_related("entity", "batch__plan__unit")
        .defer("batch__manifest", "batch__bundle")
        .prefetch_related(Prefetch("results", queryset=ItemResult.objects.select_related("item")))
    )


def results(request):
    q = (request.GET.get("q") or "").strip()
    tasks = _published_tasks()
    if q:
        tasks = tasks.filter(Q(entity__uscc=q.upper()) | Q(entity__name__contains=q))
    page = Paginator(tasks.order_by("-published_at", "-id"), 30).get_page(request.GET.get("page"))
    return render(request, "inspections/public/results.html", {"page": page, "q": q})


def entity_results(request, uscc: str):
    entity = get_object_or_404(Entity.objects.only("uscc", "name"), uscc=uscc.upper())
    tasks = list(_published_tasks().filter(entity=entity).order_by("-inspected_on"))
    return render(request, "inspections/public/entity_results.html", {"entity": entity, "tasks": tasks})
