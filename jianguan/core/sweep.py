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

Side by side (PostgreSQL, rule ``core.sweep_workers`` > 1): a job registered with ``beside=True`` runs in a forked
process of its own while the jobs after it go on; a later job that reads what it writes names it in ``after`` and
waits for it. At most ``core.sweep_workers - 1`` jobs run beside at once; when none is free, the job runs in turn.
The risk classification (minutes at a province's 10,000,000) runs beside the records and the dump.

The window (rule ``core.sweep_minutes``): work that can wait without harm — the texts of a batch, the stored public
records (rebuilt when read anyway) — comes last and asks ``budget`` how long it may run: its own limit, and no
further than the end of the window counted from the run's start. What is left goes out with ``jianguan sms send``
and ``jianguan publicrecords`` (cron) or the next day's run. The jobs that decide, publish or count never stop early.
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
    beside: bool = False
    after: tuple[str, ...] = ()


JOBS: dict[str, Job] = {}

# Seconds kept back at the end of the window: a job stops after the chunk that passes its time (the texts: a
# thousand at a time), and the command starts before ``run`` does; the sweep as a whole must end within the window.
WINDOW_MARGIN = 5.0

# When the current ``run`` started (``time.monotonic()``; a job's forked process inherits it), for ``budget``.
_run_started: float | None = None


def budget(today: dt.date, own_minutes: float | None) -> float | None:
    """Seconds a job that may leave work for later can still run: its own limit (``own_minutes``; 0 or None for
    none) and what is left of the sweep's window (rule ``core.sweep_minutes`` from the run's start; 0 for none).
    ``None``: no limit. 0: the window has passed — the job should only say what it leaves."""
    from .rules import rule

    limits = [own_minutes * 60] if own_minutes else []
    window = rule("core.sweep_minutes", on=today)
    if window and _run_started is not None:
        limits.append(max(0.0, window * 60 - WINDOW_MARGIN - (time.monotonic() - _run_started)))
    return min(limits) if limits else None


def job(order: int, name: str, label: str = "", *, atomic: bool = True, beside: bool = False,
        after: tuple[str, ...] = ()):
    """Register ``fn`` as the daily job ``name``; jobs run by ascending ``order``, each in one transaction unless
    ``atomic=False`` (the job commits chunk by chunk itself). ``beside``: may run in its own process beside the
    jobs after it; ``after``: jobs run beside that must have ended before this one starts (what it reads)."""

    def deco(fn):
        existing = JOBS.get(name)
        if existing is not None and existing.fn.__qualname__ != fn.__qualname__:
            raise ValueError(f"sweep job {name!r} is already registered by {existing.fn.__module__}")
        doc_first_line = ((fn.__doc__ or "").strip().splitlines() or [""])[0]
        JOBS[name] = Job(order, name, fn, label or doc_first_line, atomic, beside, tuple(after))
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
        report: Callable[[Outcome], None] | None = None, workers: int | None = None) -> list[Outcome]:
    """Run the registered jobs (or just ``only``) as of ``today``; each in its own transaction. ``report`` is called
    with each job's outcome as soon as it ends. ``workers``: processes at most (default: the rule
    ``core.sweep_workers``); more than one only on PostgreSQL, outside a transaction."""
    from django.db import connection

    global _run_started
    _run_started = time.monotonic()
    discover()
    stdout = stdout or _Null()
    jobs = ordered(only)
    if workers is None:
        from .rules import rule

        workers = int(rule("core.sweep_workers", on=today) or 1)
    if len(jobs) < 2 or connection.vendor != "postgresql" or connection.in_atomic_block:
        workers = 1
    outcomes: list[Outcome] = []
    running: dict[str, _Beside] = {}

    def ended(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if report is not None:
            report(outcome)

    for j in jobs:
        for name in [n for n in j.after if n in running]:
            ended(running.pop(name).join())
        if j.beside and len(running) < workers - 1:
            running[j.name] = _Beside(j, today, stdout)
            continue
        ended(_run_one(j, today, stdout))
    for name in list(running):
        ended(running.pop(name).join())
    return outcomes


def _run_one(j: Job, today: dt.date, stdout) -> Outcome:
    from django.db import transaction

    started = time.monotonic()
    try:
        if j.atomic:
            with transaction.atomic():
                counts = j.fn(today=today, stdout=stdout) or {}
        else:
            counts = j.fn(today=today, stdout=stdout) or {}
    except Exception as exc:  # one job's failure must not stop the others; the command reports it
        message = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
        return Outcome(j, None, message, time.monotonic() - started)
    return Outcome(j, counts, seconds=time.monotonic() - started)


class _Beside:
    """One job in a forked process; its outcome comes back through a pipe."""

    def __init__(self, j: Job, today: dt.date, stdout) -> None:
        import multiprocessing

        from django.db import connections

        self.job, self.started = j, time.monotonic()
        context = multiprocessing.get_context("fork")  # the child starts with this process's settings and jobs
        self.receiver, sender = context.Pipe(duplex=False)
        connections.close_all()  # a forked child must not share the parent's database connection
        self.process = context.Process(target=_beside_main, args=(j.name, today, stdout, sender),
                                       name=f"sweep-{j.name}")
        self.process.start()
        sender.close()

    def join(self) -> Outcome:
        try:
            counts, error, seconds = self.receiver.recv()  # blocks until the child sends (or dies: EOFError)
        except EOFError:
            self.process.join()
            error = f"作业进程异常退出（退出码 {self.process.exitcode}），已回滚该作业"
            return Outcome(self.job, None, error, time.monotonic() - self.started)
        self.process.join()
        return Outcome(self.job, counts, error, seconds)


def _beside_main(name: str, today: dt.date, stdout, sender) -> None:
    from django.db import connections

    outcome = _run_one(JOBS[name], today, stdout)
    try:
        sender.send((outcome.counts, outcome.error, outcome.seconds))
    finally:
        connections.close_all()


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


# The aggregates the early job counted in this run ({day: names}), so that the job after the risk job counts only
# the rest; a run of ``--only aggregates-refresh`` (cron) counts them all.
_counted_early: dict[dt.date, list[str]] = {}


@job(935, "aggregates-refresh-early", "重新统计不依赖信用风险分类的统计表（年报报送率、主体数等）的全市快照")
def refresh_aggregates_early(*, today: dt.date, stdout) -> dict[str, int]:
    """The aggregates that wait for no job beside (``aggregates.register(..., after=())``), counted while the risk
    classification still runs in its own process: at 10,000,000 entities half a minute of the July day's sweep."""
    from jianguan.workplan import metrics

    from . import aggregates

    metrics.discover()
    _counted_early.clear()
    _counted_early[today] = aggregates.refresh(today=today, waiting=False)
    return {"aggregates": len(_counted_early[today])}


@job(940, "aggregates-refresh", "重新统计各统计表（年报报送率、风险分类分布等）的全市快照",
     after=("credit-risk-reclassify",))
def refresh_aggregates(*, today: dt.date, stdout) -> dict[str, int]:
    """Store each registered per-unit aggregate counted city-wide (``core.aggregates``): the pages read them once
    counting live is slow. In the sweep, those the early job did not count (the risk classes, once the risk job has
    ended); alone (``--only aggregates-refresh``, from cron for fresher figures), every one."""
    from jianguan.workplan import metrics

    from . import aggregates

    metrics.discover()  # the figures' own aggregates are registered in the apps' metrics modules, imported on demand
    early = {stored.split(":")[0] for stored in _counted_early.pop(today, ())}
    return {"aggregates": len(aggregates.refresh(today=today, skip=early))}


@job(990, "sms-outbox", "发送待发短信（批量通知；限时，见规则 core.sms_sweep_minutes）", atomic=False)
def send_queued_sms(*, today: dt.date, stdout) -> dict[str, int]:
    """Send the texts queued by batches (``core.notify.queue_sms``) for at most ``core.sms_sweep_minutes``; the rest
    go out with the next run or ``jianguan sms send`` (cron, at the gateway's pace)."""
    from . import notify
    from .rules import rule

    seconds = budget(today, rule("core.sms_sweep_minutes", on=today))
    if seconds == 0:  # the window has passed: the texts wait for ``jianguan sms send`` or tomorrow's run (not
        # even counted here: 6 s for two million; ``jianguan sms status`` counts them)
        return {"sent": 0, "failed": 0, "left_for_later": 1, "window_closed": 1}
    return notify.drain(seconds=seconds)
