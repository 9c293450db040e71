"""Named metrics that plan targets and the dashboard read live from the data — the plug-in point of #19.

Each app registers what it counts, in its own ``metrics.py`` (imported by ``discover()``, like ``sweep`` modules)::

    from jianguan.workplan import metrics

    @metrics.metric("complaints.accept_on_time", "投诉按期受理率", unit="%", link=lambda ctx: reverse(...))
    def accept_on_time(ctx: metrics.Context) -> metrics.Reading:
        qs = metrics.within(Complaint.objects.filter(...), ctx.scope, "unit")
        return metrics.ratio(on_time, decided)

or ``metrics.register(key, label, fn, link=..., unit=..., better=...)``. ``fn(ctx)`` gets a ``Context`` (the scope
— a ``core.scope.Scope`` — the year and today) and returns a ``Reading``. ``link(ctx)`` is the URL of the records
behind the figure (a workbench list filtered to them), so every number can be traced.

Readings are cached in ``MetricReading`` per (metric, scope, year) and recomputed when older than the rule
``workplan.metric_max_age_minutes``; the daily sweep refreshes the city-wide ones, and every figure shows when it
was computed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
import importlib.util
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.scope import EVERYTHING, Scope


@dataclass(frozen=True)
class Context:
    scope: Scope
    year: int
    today: dt.date

    @property
    def start(self) -> dt.date:
        return dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        """The last day counted: 31 December, or today within the current year."""
        return min(dt.date(self.year, 12, 31), self.today)


@dataclass(frozen=True)
class Reading:
    value: Decimal | None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    note: str = ""
    computed_at: dt.datetime | None = None
    took_ms: int = 0


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    fn: Callable[[Context], Reading]
    link: Callable[[Context], str] | None = None
    unit: str = ""
    better: str = "higher"  # or "lower": which way the dashboard colours a change
    app: str = ""
    description: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)

    def url(self, ctx: Context) -> str:
        return self.link(ctx) if self.link else ""


METRICS: dict[str, Metric] = {}
_discovered = False


def register(key: str, label: str, fn: Callable[[Context], Reading], *, link: Callable[[Context], str] | None = None,
             unit: str = "", better: str = "higher", description: str = "", tags: Iterable[str] = ()) -> Metric:
    """Register the metric ``key``. Registering the same function twice (a re-import) is harmless; two different
    functions under one key are a programming error."""
    existing = METRICS.get(key)
    if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
        raise ValueError(f"metric {key!r} is already registered by {existing.app}")
    if better not in ("higher", "lower"):
        raise ValueError(f"metric {key!r}: better must be 'higher' or 'lower'")
    m = Metric(key, label, fn, link, unit, better, fn.__module__.rsplit(".", 1)[0], description, tuple(tags))
    METRICS[key] = m
    return m


def metric(key: str, label: str, **kwargs):
    """Decorator form of ``register``."""

    def deco(fn):
        register(key, label, fn, **kwargs)
        return fn

    return deco


def discover() -> None:
    """Import the ``metrics`` module of every installed jianguan app (each registers its metrics)."""
    global _discovered
    if _discovered:
        return
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("jianguan.") and importlib.util.find_spec(f"{config.name}.metrics"):
            importlib.import_module(f"{config.name}.metrics")
    _discovered = True


def registered() -> dict[str, Metric]:
    discover()
    return METRICS


def get(key: str) -> Metric | None:
    return registered().get(key)


def choices() -> list[tuple[str, str]]:
    return [(k, f"{m.label}（{k}）") for k, m in sorted(registered().items())]


# --- helpers for metric functions ------------------------------------------------------------------------------------


def within(qs: QuerySet, scope: Scope, unit_field: str = "unit") -> QuerySet:
    """``qs`` restricted to the units of ``scope`` (the same rule as ``core.scope.scope_filter``)."""
    if scope.everything:
        return qs
    if not scope.unit_ids:
        return qs.none()
    return qs.filter(**{f"{unit_field}__in": scope.unit_ids})


def _dec(x) -> Decimal | None:
    if x is None:
        return None
    return Decimal(str(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def ratio(numerator, denominator, note: str = "") -> Reading:
    """A percentage; no value (not 0 %) when nothing was due."""
    if not denominator:
        return Reading(None, _dec(numerator or 0), _dec(denominator or 0), note or "无应计数据")
    return Reading(_dec(Decimal(numerator) * 100 / Decimal(denominator)), _dec(numerator), _dec(denominator), note)


def count(n, note: str = "") -> Reading:
    return Reading(_dec(n or 0), note=note)


def amount(x, note: str = "") -> Reading:
    return Reading(_dec(x or 0), note=note)


def query(params: dict) -> str:
    from urllib.parse import urlencode

    return "?" + urlencode({k: v for k, v in params.items() if v not in (None, "")}) if params else ""


# --- reading, with the cache -----------------------------------------------------------------------------------------


def scope_key(scope: Scope) -> str:
    if scope.everything:
        return "all"
    ids = ",".join(str(i) for i in sorted(scope.unit_ids))
    return "u:" + hashlib.sha1(ids.encode()).hexdigest()[:20]


def scope_of_unit(unit) -> Scope:
    """The units a plan of ``unit`` covers: the city bureau everything, a district bureau its subtree."""
    from jianguan.core.models import OrgUnit

    if unit is None:
        return EVERYTHING
    if unit.kind in (OrgUnit.Kind.CITY, OrgUnit.Kind.DEPARTMENT):
        return EVERYTHING
    return Scope(False, frozenset(OrgUnit.objects.filter(path__startswith=unit.path).values_list("id", flat=True)))


def max_age() -> dt.timedelta:
    from jianguan.core.rules import rule

    return dt.timedelta(minutes=int(rule("workplan.metric_max_age_minutes")))


def compute(key: str, ctx: Context) -> Reading:
    """Compute ``key`` now, bypassing the cache."""
    m = get(key)
    if m is None:
        return Reading(None, note=f"未登记的指标 {key}")
    started = time.perf_counter()
    r = m.fn(ctx)
    took = int((time.perf_counter() - started) * 1000)
    return Reading(r.value, r.numerator, r.denominator, r.note, timezone.now(), took)


def _store(key: str, skey: str, year: int, r: Reading) -> None:
    from .models import MetricReading

    MetricReading.objects.update_or_create(
        key=key, scope_key=skey, year=year,
        defaults={"value": r.value, "numerator": r.numerator, "denominator": r.denominator, "note": r.note[:200],
                  "computed_at": r.computed_at, "took_ms": r.took_ms},
    )


def read_many(keys: Iterable[str], ctx: Context, *, fresh: bool = False) -> dict[str, Reading]:
    """The readings of ``keys`` for ``ctx``: cached ones younger than ``max_age()`` in one query, the rest computed
    and stored. ``fresh`` recomputes them all."""
    from .models import MetricReading

    keys = sorted(set(keys))
    if not keys:
        return {}
    skey = scope_key(ctx.scope)
    out: dict[str, Reading] = {}
    if not fresh:
        oldest = timezone.now() - max_age()
        for row in MetricReading.objects.filter(key__in=keys, scope_key=skey, year=ctx.year, computed_at__gte=oldest):
            out[row.key] = Reading(row.value, row.numerator, row.denominator, row.note, row.computed_at, row.took_ms)
    for key in keys:
        if key in out:
            continue
        r = compute(key, ctx)
        if get(key) is not None:
            _store(key, skey, ctx.year, r)
        out[key] = r
    return out


def read(key: str, ctx: Context, *, fresh: bool = False) -> Reading:
    return read_many([key], ctx, fresh=fresh)[key]
