"""Per-unit statistics that a page shows above its list — filing rates per unit, entities per risk class per unit —
exact at a city's size, and at a province's read from what the daily sweep counted.

An aggregate is a function ``fn(scope, *args) -> list[dict]``: one dict per unit, the unit's id under ``"unit"``
and JSON-able figures beside it, restricted to ``scope`` (``core.scope.restrict``). Register it with
``@register(name, variants=…)``; a page reads it with ``read(name, scope, *args)``:

- while counting the whole register is quick (the last city-wide count took less than ``core.aggregate_live_ms``),
  the reader's own scope is counted now, on every view: the figures are exact and ``computed_at`` is None;
- once it is slow (10,000,000 entities: the filing rates take 15 s), the page reads the city-wide rows the daily sweep
  stored (``aggregates-refresh``), filtered to the reader's scope, as long as they are younger than
  ``core.aggregate_max_age_minutes``; ``computed_at`` says when they were counted and the page shows it.

A slow city-wide count made by a reader is stored too, so the next reader does not pay for it again.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone

from .rules import rule
from .scope import EVERYTHING, Scope


@dataclass(frozen=True)
class Registered:
    name: str
    fn: Callable[..., list[dict]]
    variants: Callable[[dt.date], list[tuple]] = field(default=lambda today: [()])
    after: tuple[str, ...] = ()


REGISTRY: dict[str, Registered] = {}


def register(name: str, *, variants: Callable[[dt.date], list[tuple]] | None = None, after: tuple[str, ...] = ()):
    """Register ``fn(scope, *args)`` as the aggregate ``name``; ``variants(today)`` lists the argument tuples the
    daily refresh stores (e.g. the report years a page offers by default). ``after``: the sweep jobs whose writes it
    counts and which may run beside the others (the risk classes after ``credit-risk-reclassify``): it is counted
    once they have ended, the others as soon as the sweep reaches them."""

    def deco(fn):
        REGISTRY[name] = Registered(name, fn, variants or (lambda today: [()]), tuple(after))
        return fn

    return deco


@dataclass
class Result:
    rows: list[dict]
    computed_at: dt.datetime | None  # None: counted now, for this reader

    @property
    def live(self) -> bool:
        return self.computed_at is None


def key(name: str, args: tuple) -> str:
    return ":".join([name, *(str(a) for a in args)])


def read(name: str, scope: Scope, *args) -> Result:
    """The rows of aggregate ``name`` for ``scope`` (see the module's docstring for when they are counted now)."""
    from .models import Aggregate

    live_ms = int(rule("core.aggregate_live_ms"))
    oldest = timezone.now() - dt.timedelta(minutes=int(rule("core.aggregate_max_age_minutes")))
    k = key(name, args)
    stored = Aggregate.objects.filter(key=k, took_ms__gte=live_ms, computed_at__gte=oldest).first()
    if stored is not None:
        return Result([row for row in stored.data if scope.allows_unit(row["unit"])], stored.computed_at)
    started = time.perf_counter()
    rows = REGISTRY[name].fn(scope, *args)
    took = int((time.perf_counter() - started) * 1000)
    if scope.everything and took >= live_ms:
        _store(k, rows, took)
    return Result(rows, None)


def _store(k: str, rows: list[dict], took: int) -> None:
    from .models import Aggregate

    try:
        with transaction.atomic():
            Aggregate.objects.update_or_create(key=k, defaults={"data": rows, "computed_at": timezone.now(),
                                                                "took_ms": took})
    except IntegrityError:  # another reader stored the same count a moment earlier: theirs is as good
        pass


def refresh(*, today: dt.date, waiting: bool | None = None, skip: set[str] | frozenset = frozenset()) -> list[str]:
    """Count registered aggregates city-wide, for each of their variants, and store them (the daily sweep); returns
    the keys stored (``name:args``). ``waiting``: True only those registered ``after`` a job, False only the others,
    None all; ``skip``: names already counted."""
    done = []
    for registered in REGISTRY.values():
        if registered.name in skip or (waiting is not None and bool(registered.after) != waiting):
            continue
        for args in registered.variants(today):
            started = time.perf_counter()
            rows = registered.fn(EVERYTHING, *args)
            done.append(key(registered.name, args))
            _store(done[-1], rows, int((time.perf_counter() - started) * 1000))
    return done


def forget(name: str) -> None:
    """Drop the stored counts of ``name`` (every variant): the figures changed wholesale (a full reclassification),
    so the next reader counts again rather than read a count from before it."""
    from .models import Aggregate

    Aggregate.objects.filter(key__startswith=f"{name}:").delete()
    Aggregate.objects.filter(key=name).delete()
