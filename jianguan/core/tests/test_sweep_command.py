"""``jianguan sweep``: jobs in order, each in its own transaction; a failing job rolls back alone and the
command exits non-zero; --only and --list."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from jianguan.core import sweep
from jianguan.core.models import Sequence

pytestmark = pytest.mark.django_db


@pytest.fixture
def jobs(monkeypatch):
    monkeypatch.setattr(sweep, "JOBS", {})
    monkeypatch.setattr(sweep, "discover", lambda: None)
    calls = []

    @sweep.job(2, "second")
    def second(*, today, stdout):
        calls.append(("second", today))
        Sequence.objects.create(key="second", value=1)
        return {"done": 1}

    @sweep.job(1, "first")
    def first(*, today, stdout):
        """Writes then fails."""
        calls.append(("first", today))
        Sequence.objects.create(key="first", value=1)
        raise RuntimeError("磁盘已满")

    return calls


def test_jobs_run_in_order_and_a_failure_rolls_back_only_that_job(jobs):
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="1 个作业失败：first"):
        call_command("sweep", "--today", "2026-07-01", stdout=out, stderr=err)
    assert jobs == [("first", dt.date(2026, 7, 1)), ("second", dt.date(2026, 7, 1))]
    assert "✗ first: 磁盘已满" in err.getvalue() and "✓ second: done=1" in out.getvalue()
    assert list(Sequence.objects.values_list("key", flat=True)) == ["second"]
    # each job's line says how long it took, and the last line the whole run's time
    assert re.search(r"✓ second: done=1（\d+\.\d 秒）", out.getvalue())
    assert re.search(r"✗ first: 磁盘已满（\d+\.\d 秒）", err.getvalue())
    assert re.search(r"共 2 个作业，用时 \d+\.\d 秒", out.getvalue())


def test_only_runs_one_job(jobs):
    call_command("sweep", "--only", "second", stdout=StringIO())
    assert [name for name, _ in jobs] == ["second"]


def test_an_unknown_job_name_is_an_error(jobs):
    with pytest.raises(CommandError, match="没有名为 'nope' 的作业"):
        call_command("sweep", "--only", "nope", stdout=StringIO())


def test_list_shows_the_jobs(jobs):
    out = StringIO()
    call_command("sweep", "--list", stdout=out)
    assert out.getvalue().index("first") < out.getvalue().index("second")
    assert "Writes then fails." in out.getvalue()


def test_a_name_cannot_be_taken_twice(jobs):
    with pytest.raises(ValueError, match="already registered"):
        @sweep.job(3, "first")
        def other(*, today, stdout):
            return {}
