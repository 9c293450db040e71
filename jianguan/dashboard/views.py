"""The leader's dashboard (领导驾驶舱) at /workbench/dashboard/: the bureau at a glance for the reader's scope, every
figure linked to the list behind it, each panel stamped with when it was computed; and a one-page print version."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required, permission_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from jianguan.core.roles import role_codes
from jianguan.core.scope import scope_for
from jianguan.workplan import selectors as plan_selectors
from jianguan.workplan.metrics import scope_key

from . import services
from .models import Snapshot

view_perm = permission_required("dashboard.view_dashboard", raise_exception=True)


def _plan_panel(user, today) -> dict | None:
    if not user.has_perm("workplan.view_plan"):
        return None
    plan = plan_selectors.current_plan(user, today)
    if plan is None:
        return None
    started = time.perf_counter()
    tree = plan_selectors.plan_tree(user, plan, today=today)
    late = [row for _a, rows in tree.areas for row in rows if row.task.late]
    url = reverse("workplan:plan", args=[plan.code])
    areas = [{"title": a.title, "tasks": len(rows), "late": sum(r.task.late for r in rows),
              "progress": round(sum(r.task.progress for r in rows) / len(rows)) if rows else 0,
              "url": f"{url}#area-{a.seq}"} for a, rows in tree.areas]
    return {"plan": plan, "summary": tree.summary, "late": late[:8], "late_total": len(late), "areas": areas,
            "readings_at": tree.readings_at, "took_ms": int((time.perf_counter() - started) * 1000),
            "url": url, "late_url": url + "?late=1"}


def _context(request, *, fresh: bool = False) -> dict:
    started = time.perf_counter()
    today = timezone.localdate()
    scope = scope_for(request.user)
    figs = services.figures(scope, today=today, fresh=fresh, user=request.user)
    by_key = {f.key: f for f in figs}
    charts = {k: f.data for k, f in by_key.items() if k != "kpis"}
    return {
        "today": today, "figures": by_key, "charts": charts, "plan": _plan_panel(request.user, today),
        "max_minutes": int(services.max_age().total_seconds() // 60),
        "oldest": min((f.computed_at for f in figs), default=None),
        "page_ms": int((time.perf_counter() - started) * 1000),
        "everything": scope.everything,
    }


@login_required
@view_perm
def index(request):
    return render(request, "dashboard/index.html", _context(request, fresh=request.GET.get("refresh") == "1"))


@login_required
@view_perm
def print_view(request):
    return render(request, "dashboard/print.html", _context(request))


@login_required
def landing(request):
    """Where a login lands: a bureau leader on the dashboard, everyone else on the workbench home."""
    if "bureau_leader" in role_codes(request.user) and request.user.has_perm("dashboard.view_dashboard"):
        return redirect("dashboard:index")
    return redirect("core:home")


def home_card(request) -> list[dict]:
    """A card on the workbench home with the last computed headline figures (never computes: the home page stays
    fast) and the way to the dashboard."""
    user = request.user
    if not user.has_perm("dashboard.view_dashboard"):
        return []
    snaps = {s.panel: s for s in Snapshot.objects.filter(scope_key=scope_key(scope_for(user)),
                                                         panel__in=["entities", "cases", "complaints"])}
    return [{"template": "dashboard/_home_card.html",
             "entities": snaps["entities"].data.get("total") if "entities" in snaps else None,
             "cases_late": snaps["cases"].data.get("open_late") if "cases" in snaps else None,
             "complaints": snaps["complaints"].data.get("this_year") if "complaints" in snaps else None,
             "at": min((s.computed_at for s in snaps.values()), default=None)}]
