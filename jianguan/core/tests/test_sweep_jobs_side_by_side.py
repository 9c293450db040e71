"""``jianguan sweep`` on PostgreSQL runs a job registered ``beside=True`` in a process of its own while the jobs
after it go on (rule ``core.sweep_workers``); a job naming it in ``after`` waits for it; a failure or a crash of
the process is reported for that job alone and rolls back its writes. SQLite, or one worker: one job at a time.

The jobs commit (a forked process reads and writes through its own connection), hence ``transactional_db``."""

from __future__ import annotations

import datetime as dt
import os
import time
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jianguan.core import sweep
from jianguan.core.models import RuleValue, Sequence

DAY = dt.date(2026, 7, 2)


def _wait_for(path: Path, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while not path.exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


@pytest.fixture
def jobs(monkeypatch, tmp_path, transactional_db):
    """``slow`` runs beside and can only finish once ``inline`` (ordered after it) has started — which proves the
    two overlap; ``reader`` waits for ``slow`` and finds its row; ``broken`` fails beside after writing a row;
    ``crashed`` kills its process."""
    monkeypatch.setattr(sweep, "JOBS", {})
    monkeypatch.setattr(sweep, "discover", lambda: None)
    pids: dict[str, int] = {}

    def note(name):
        (tmp_path / f"{name}.pid").write_text(str(os.getpid()))

    @sweep.job(10, "slow", beside=True)
    def slow(*, today, stdout):
        note("slow")
        if not _wait_for(tmp_path / "inline.pid"):
            raise RuntimeError("inline never started while slow was running")
        Sequence.objects.create(key="slow", value=1)
        return {"written": 1}

    @sweep.job(20, "inline")
    def inline(*, today, stdout):
        seen = int(Sequence.objects.filter(key="slow").exists())  # before slow may write: it waits for the note
        note("inline")
        return {"seen_slow": seen}

    @sweep.job(30, "broken", beside=True)
    def broken(*, today, stdout):
        Sequence.objects.create(key="broken", value=1)
        raise RuntimeError("磁盘已满")

    @sweep.job(40, "reader", after=("slow", "broken"))
    def reader(*, today, stdout):
        note("reader")
        return {"seen_slow": int(Sequence.objects.filter(key="slow").exists())}

    @sweep.job(50, "crashed", beside=True)
    def crashed(*, today, stdout):
        os._exit(3)

    @sweep.job(60, "last")
    def last(*, today, stdout):
        return {"ran": 1}

    def pid(name):
        return int((tmp_path / f"{name}.pid").read_text())

    pids["of"] = pid
    return pids


def _run(workers: int, option: int | None = None) -> tuple[dict, str, str]:
    RuleValue.objects.create(key="core.sweep_workers", value=workers, effective_from=dt.date(2020, 1, 1))
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as failed:
        call_command("sweep", "--today", DAY.isoformat(), *(["--workers", str(option)] if option else []),
                     stdout=out, stderr=err)
    return failed.value, out.getvalue(), err.getvalue()


def test_a_job_beside_overlaps_the_next_and_is_waited_for(jobs):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer: jobs run one at a time")
    failed, out, err = _run(workers=3)
    assert jobs["of"]("slow") != os.getpid()  # its own process
    assert jobs["of"]("inline") == jobs["of"]("reader") == os.getpid()
    assert "✓ inline: seen_slow=0" in out  # ran while slow had not written yet
    assert "✓ slow: written=1" in out and "✓ reader: seen_slow=1" in out  # reader waited for slow
    # slow ended before reader started: its line comes first
    assert out.index("✓ slow") < out.index("✓ reader") and "✓ last: ran=1" in out
    # a failure beside rolls back that job alone and is reported by name; so is a process that died
    assert "✗ broken: 磁盘已满" in err and not Sequence.objects.filter(key="broken").exists()
    assert "✗ crashed: 作业进程异常退出（退出码 3）" in err
    assert "2 个作业失败：broken、crashed" in str(failed)
    assert "共 6 个作业" in out


@pytest.mark.parametrize("rule, option", [(1, None), (3, 1)])  # by the rule, or by --workers over it
def test_one_worker_runs_every_job_in_turn_in_this_process(jobs, rule, option):
    if connection.vendor != "postgresql":
        pytest.skip("the same as SQLite's case below")
    sweep.JOBS.pop("crashed")  # in this process it would end the test run
    sweep.JOBS["slow"] = sweep.Job(10, "slow", lambda **kw: {"written": 0}, beside=True)
    _failed, out, err = _run(workers=rule, option=option)
    assert jobs["of"]("inline") == jobs["of"]("reader") == os.getpid()
    assert out.index("✓ slow") < out.index("✓ inline") < out.index("✓ reader") < out.index("✓ last")
    assert "✗ broken: 磁盘已满" in err


def test_sqlite_runs_them_in_turn_whatever_the_rule(jobs):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL: above")
    sweep.JOBS.pop("crashed")
    sweep.JOBS["slow"] = sweep.Job(10, "slow", lambda **kw: {"written": 0}, beside=True)
    _failed, out, err = _run(workers=4)
    assert jobs["of"]("inline") == jobs["of"]("reader") == os.getpid()
    assert out.index("✓ slow") < out.index("✓ inline") < out.index("✓ reader") < out.index("✓ last")


def test_workers_must_be_positive(db):
    with pytest.raises(CommandError, match="--workers 须为正整数"):
        call_command("sweep", "--workers", "0", stdout=StringIO())


def test_the_jobs_that_read_the_risk_classes_wait_for_them():
    sweep.discover()
    assert sweep.JOBS["credit-risk-reclassify"].beside
    for name in ("aggregates-refresh", "dashboard-refresh"):
        assert "credit-risk-reclassify" in sweep.JOBS[name].after, name
    # the aggregates that count the classes are left to the job after it; the others are counted beside it
    from jianguan.core import aggregates
    from jianguan.workplan import metrics

    metrics.discover()
    assert aggregates.REGISTRY["credit.risk_classes"].after == ("credit-risk-reclassify",)
    assert not sweep.JOBS["aggregates-refresh-early"].after
    assert {j for a in aggregates.REGISTRY.values() for j in a.after} <= {
        n for n in sweep.JOBS if n in sweep.JOBS["aggregates-refresh"].after}
    # every job named in an ``after`` exists and runs beside (waiting for one run in turn is meaningless)
    for j in sweep.JOBS.values():
        for name in j.after:
            assert sweep.JOBS[name].beside and sweep.JOBS[name].order < j.order, (j.name, name)
