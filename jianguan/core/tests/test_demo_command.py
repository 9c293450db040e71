"""`jianguan demo` shows its progress, keeps the SMS its services send off the console (one summary line, the text in
the outbox file), runs each step in one transaction, and offers steps a set-based writer with one audit entry."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command

from jianguan.core import demo, notify
from jianguan.core.models import AuditEntry, Division

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[3]


def test_demo_on_a_fresh_database_shows_each_step_and_puts_the_sms_in_the_outbox_with_one_summary_line(tmp_path):
    """What `make run` does on a fresh clone, in a process of its own (real commits: the SMS leave as each step
    commits): migrate, demo, and demo again."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    env.update({"JIANGUAN_DEBUG": "1", "JIANGUAN_VAR_DIR": str(tmp_path), "JIANGUAN_DEMO_ENTITIES": "400"})

    def jianguan(*args):
        done = subprocess.run([sys.executable, "-m", "jianguan", *args], cwd=ROOT, env=env, capture_output=True,
                              text=True, timeout=900)
        assert done.returncode == 0, done.stderr[-3000:]
        return done.stdout

    jianguan("migrate", "-v0")
    text = jianguan("demo", "--quiet")
    assert "[短信]" not in text
    steps = re.findall(r"^\[(\d+)/(\d+)\] (\S+) …$", text, re.M)
    assert len(steps) >= 9 and [int(i) for i, _n, _label in steps] == list(range(1, len(steps) + 1))
    assert len(re.findall(r"^ +\d+\.\d 秒（CPU \d+\.\d 秒）$", text, re.M)) == len(steps)  # each step's time under its label
    (summary,) = re.findall(r"^短信 ([\d,]+) 条（演示不发送；全文见 (.+)）$", text, re.M)
    outbox = list((tmp_path / "outbox").glob("sms-*.txt"))
    assert [str(p) for p in outbox] == [summary[1]]
    lines = outbox[0].read_text(encoding="utf-8").splitlines()
    assert int(summary[0].replace(",", "")) == len(lines) > 0
    assert all(line.count("\t") >= 2 for line in lines)  # time, phone, full message
    # the steps' audit entries, written in one batch per step, hold the chain
    assert "审计日志哈希链完整" in jianguan("audit", "verify")
    # idempotent: a second run adds no rows and sends nothing
    db = sqlite3.connect(tmp_path / "jianguan.sqlite3")
    tables = [t for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type='table' AND name LIKE 'registry_%'")]
    counts = {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
              for t in tables + ["auth_user", "core_orgunit", "core_staffprofile"]}
    assert counts["auth_user"] >= 60 and counts["core_orgunit"] >= 50
    again = jianguan("demo", "--quiet")
    assert {t: db.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0] for t in counts} == counts
    assert "短信" not in again.split("演示数据已就绪")[-1]
    db.close()


def test_every_demo_login_shares_one_hash_of_the_demo_password():
    demo.demo_core(today=dt.date(2026, 6, 15), stdout=io.StringIO())  # the step that makes the logins
    hashes = set(get_user_model().objects.filter(username__in=[s["username"] for s in demo.demo_staff_specs()])
                 .values_list("password", flat=True))
    assert hashes == {demo.demo_password_hash()}
    assert get_user_model().objects.get(username="leader").check_password(demo.DEMO_PASSWORD)


def test_a_failing_step_leaves_nothing_of_itself(monkeypatch):
    def broken(*, today, stdout):
        Division.objects.create(code="999999", name="半途", level=1)
        raise RuntimeError("step broke")

    for config in apps.get_app_configs():  # the real steps register now, not into the list below
        if config.name.startswith("jianguan.") and importlib.util.find_spec(f"{config.name}.demo"):
            importlib.import_module(f"{config.name}.demo")
    # the command module imported before the patch: imported during it, it would bind the patched list as its own
    # STEPS, monkeypatch would restore that, and a later demo on the same worker (the persona sweep) would run 坏步骤
    from jianguan.core.management.commands import demo as command

    monkeypatch.setattr(demo, "STEPS", [(0, "坏步骤", broken)])
    monkeypatch.setattr(command, "STEPS", demo.STEPS)
    with pytest.raises(RuntimeError):
        call_command("demo", "--quiet", stdout=io.StringIO())
    assert not Division.objects.filter(code="999999").exists()


def test_bulk_add_writes_the_rows_and_one_audit_entry():
    before = AuditEntry.objects.count()
    rows = [Division(code=f"9{i:05d}", name=f"演示{i}", level=3) for i in range(2500)]
    demo.bulk_add(rows, action="core.demo.divisions_loaded", batch_size=1000)
    assert Division.objects.filter(code__startswith="9", name__startswith="演示").count() == 2500
    (entry,) = AuditEntry.objects.order_by("-id")[: AuditEntry.objects.count() - before]
    assert entry.action == "core.demo.divisions_loaded" and entry.object_type == "core.division"
    assert entry.changes == {"rows": [None, 2500]} and entry.actor_label == "demo"
    assert demo.bulk_add([], action="core.demo.nothing") == [] and AuditEntry.objects.count() == before + 1


def test_sms_redirected_restores_the_configured_backend(settings):
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    outbox = notify.CountingFileSMSBackend()
    with notify.sms_redirected(outbox):
        assert notify.sms_backend() is outbox
    assert isinstance(notify.sms_backend(), notify.MemorySMSBackend)
