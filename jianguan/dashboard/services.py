"""Reading the dashboard: each panel's snapshot for the reader's scope, recomputed when older than the rule
``dashboard.max_age_minutes`` (and by the sweep, which keeps the city's and each district's warm)."""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from jianguan.core.rules import rule
from jianguan.core.scope import Scope
from jianguan.workplan.metrics import scope_key

from . import panels
from .models import Snapshot


@dataclass
class Figure:
    key: str
    title: str
    data: dict[str, Any]
    computed_at: dt.datetime
    took_ms: int
    cached: bool


def max_age() -> dt.timedelta:
    return dt.timedelta(minutes=int(rule("dashboard.max_age_minutes")))


def compute(panel: panels.Panel, scope: Scope, today: dt.date) -> Snapshot:
    started = time.perf_counter()
    data = panel.fn(scope, today)
    took = int((time.perf_counter() - started) * 1000)
    snap, _ = Snapshot.objects.update_or_create(
        scope_key=scope_key(scope), panel=panel.key,
        defaults={"data": data, "computed_at": timezone.now(), "took_ms": took})
    return snap


def figures(scope: Scope, *, today: dt.date, fresh: bool = False, user=None) -> list[Figure]:
    """The panels the reader may see, from their snapshots (one query) or computed now when stale."""
    wanted = [p for p in panels.ordered() if p.permission is None or (user is not None and user.has_perm(p.permission))]
    skey = scope_key(scope)
    oldest = timezone.now() - max_age()
    snaps = {} if fresh else {s.panel: s for s in Snapshot.objects.filter(scope_key=skey, computed_at__gte=oldest)}
    out = []
    for p in wanted:
        snap = snaps.get(p.key)
        cached = snap is not None
        if snap is None:
            snap = compute(p, scope, today)
        out.append(Figure(p.key, p.title, snap.data, snap.computed_at, snap.took_ms, cached))
    return out


def refresh_all(*, today: dt.date) -> int:
    """Recompute every panel for the city and for each district (the scopes leaders and district heads read)."""
    from jianguan.core.models import OrgUnit
    from jianguan.core.scope import EVERYTHING
    from jianguan.workplan.metrics import scope_of_unit

    scopes = [EVERYTHING] + [scope_of_unit(u) for u in OrgUnit.objects.filter(kind=OrgUnit.Kind.DISTRICT,
                                                                                is_active=True)]
    n = 0
    for scope in scopes:
        for p in panels.ordered():
            compute(p, scope, today)
            n += 1
    return n
