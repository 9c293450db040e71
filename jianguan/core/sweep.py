"""Daily jobs, run by ``jianguan sweep [--today YYYY-MM-DD] [--only NAME]``.

Each app registers its jobs in a ``sweep`` module (imported by the command, like ``demo`` modules)::

    from jianguan.core.sweep import job

    @job(310, "annual-report-listing")
    def list_non_filers(*, today, stdout) -> dict[str, int]:
        ...
        return {"listed": 12}

A job is a function ``(*, today, stdout) -> dict of counts``. It must be idempotent: running it a second time for
the same ``today`` changes nothing (so a bureau can replay a missed day, and tests can run the calendar forward
day by day). The command runs every job in ``order`` in its own transaction: one job failing rolls back that job
only, the others still run, and the command exits non-zero. A job registered with ``atomic=False`` opens its own
transactions — one per chunk of a job whose work at province scale does not fit one transaction's memory (the July
listing); being idempotent, it picks up where it stopped when run again.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Job:
    order: int
    name: str
    fn: Callable[..., dict[str, Any]]
    label: str = ""
    atomic: bool = True


JOBS: dict[str, Job] = {}


def job(order: int, name: str, label: str = "", *, atomic: bool = True):
    """Register ``fn`` as the daily job ``name``; jobs run by ascending ``order``, each in one transaction unless
    ``atomic=False`` (the job commits chunk by chunk itself)."""

    def deco(fn):
        existing = JOBS.get(name)
        if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"sweep job {name!r} is already registered by {existing.fn.__module__}")
        doc_first_line = ((fn.__doc__ or "").strip().splitlines() or [""])[0]
        JOBS[name] = Job(order, name, fn, label or doc_first_line, atomic)
        return fn

    return deco


def discover() -> None:
    """Import the ``sweep`` module of every installed jianguan app, which registers its jobs."""
    from django.apps import apps

    for config in apps.get_app_configs():
        if config.name.startswith("jianguan.") and importlib.util.find_spec(f"{config.name}.sweep"):
            importlib.import_module(f"{config.name}.sweep")


def ordered(only: str | None = None) -> list[Job]:
    jobs = sorted(JOBS.values(), key=lambda j: (j.order, j.name))
    if only:
        jobs = [j for j in jobs if j.name == only]
    return jobs


@dataclass
class Outcome:
    job: Job
    counts: dict[str, Any] | None = None
    error: str = ""
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.error


class _Null:
    def write(self, *args, **kwargs) -> None:
        pass


def run(*, today: dt.date, only: str | None = None, stdout=None,
        report: Callable[[Outcome], None] | None = None) -> list[Outcome]:
    """Run the registered jobs (or just ``only``) as of ``today``; each in its own transaction. ``report`` is called
    with each job's outcome as soon as it ends."""
    from django.db import transaction

    discover()
    stdout = stdout or _Null()
    outcomes = []
    for j in ordered(only):
        started = time.monotonic()
        try:
            if j.atomic:
                with transaction.atomic():
                    counts = j.fn(today=today, stdout=stdout) or {}
            else:
                counts = j.fn(today=today, stdout=stdout) or {}
        except Exception as exc:  # one job's failure must not stop the others; the command reports it
            message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
            outcomes.append(Outcome(j, None, message, time.monotonic() - started))
        else:
            outcomes.append(Outcome(j, counts, seconds=time.monotonic() - started))
        if report is not None:
            report(outcomes[-1])
    return outcomes


@job(1, "audit-seal")
def seal_audit_log(*, today: dt.date, stdout) -> dict[str, int]:
    """Chain audit entries left unchained (by a process that stopped between its commit and chaining them)."""
    from . import audit

    return {"chained": audit.seal(wait=True)}


@job(2, "audit-anchor", "审计日志每日锚点（链头与条数，签名）")
def anchor_audit_log(*, today: dt.date, stdout) -> dict[str, int]:
    """Write today's signed anchor of the audit chain outside the database (published in the open-data manifest)."""
    from . import audit

    anchor = audit.make_anchor(today)
    return {"anchored": 1 if anchor else 0, "head_seq": anchor["seq"] if anchor else 0}


@job(940, "aggregates-refresh", "重新统计各统计表（年报报送率、风险分类分布等）的全市快照")
def refresh_aggregates(*, today: dt.date, stdout) -> dict[str, int]:
    """Store each registered per-unit aggregate counted city-wide (``core.aggregates``): the pages read them once
    counting live is slow. Run it more often from cron (``--only aggregates-refresh``) for fresher figures."""
    from jianguan.workplan import metrics

    from . import aggregates

    metrics.discover()  # the figures' own aggregates are registered in the apps' metrics modules, imported on demand
    return {"aggregates": aggregates.refresh(today=today)}


@job(990, "sms-outbox", "发送待发短信（批量通知；限时，见规则 core.sms_sweep_minutes）", atomic=False)
def send_queued_sms(*, today: dt.date, stdout) -> dict[str, int]:
    """Send the texts queued by batches (``core.notify.queue_sms``) for at most ``core.sms_sweep_minutes``; the rest
    go out with the next run or ``jianguan sms send`` (cron, at the gateway's pace)."""
    from . import notify
    from .rules import rule

    minutes = rule("core.sms_sweep_minutes", on=today)
    return notify.drain(seconds=minutes * 60 if minutes else None)
