import contextlib
import datetime as dt
import importlib
import time

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from jianguan.core import audit, notify
from jianguan.core.demo import DEMO_PASSWORD, STEPS
from jianguan.core.roles import ROLE_NAMES


@contextlib.contextmanager
def _no_query_log():
    """No query log while the steps run. With DEBUG on (``make run``) Django keeps every statement, and on SQLite
    quotes its parameters for the log with one more query each: several seconds of the demo's CPU (issue 16) for a
    log nobody reads."""
    debug = settings.DEBUG
    settings.DEBUG = False
    try:
        yield
    finally:
        settings.DEBUG = debug


class Command(BaseCommand):
    help = "创建（或更新）平顶山演示数据并打印演示账号。可重复运行。"
    # No system checks (~1.2 s of imports: every URL conf and the API): a loader needs none, and `make run` has the
    # server run them right after (issue 16).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, help="演示数据的“今天”（YYYY-MM-DD）")
        parser.add_argument("--quiet", action="store_true", help="不打印演示账号")
        parser.add_argument("--logins-only", action="store_true", help="只打印演示账号，不改动数据")

    def handle(self, *args, today=None, quiet=False, logins_only=False, **opts):
        if logins_only:
            from jianguan.core.demo import demo_staff_specs
            from jianguan.core.models import StaffProfile

            names = {
                p.user.username: (p.user.first_name, p.unit.name)
                for p in StaffProfile.objects.select_related("user", "unit")
            }
            self.print_logins(
                [
                    {
                        "username": s["username"],
                        "name": names.get(s["username"], ("", ""))[0],
                        "unit": names.get(s["username"], ("", ""))[1],
                        "roles": s["roles"],
                    }
                    for s in demo_staff_specs()
                ]
            )
            return
        today = today or timezone.localdate()
        for config in apps.get_app_configs():  # each app's demo module registers its steps
            if config.name.startswith("jianguan.") and importlib.util.find_spec(f"{config.name}.demo"):
                importlib.import_module(f"{config.name}.demo")
        results = {}
        steps = sorted(STEPS, key=lambda s: s[0])
        # SMS the demo's services send (thousands: every listing decision) go to the outbox file, not the console.
        outbox = notify.CountingFileSMSBackend()
        started = time.monotonic()
        with notify.sms_redirected(outbox), _no_query_log():
            for i, (_order, label, fn) in enumerate(steps, 1):
                self.stdout.write(f"[{i}/{len(steps)}] {label} …")
                self.stdout.flush()
                step_started, step_cpu = time.monotonic(), time.process_time()
                # One transaction per step: all of it or none of it, and one commit. The audit entries the step's
                # services make (one per write, as ever) are written together at its end (issue 16).
                with transaction.atomic(), audit.batched():
                    results[label] = fn(today=today, stdout=self.stdout) or {}
                # The CPU time too: on a shared machine the wall time mostly says how busy it is.
                self.stdout.write(f"      {time.monotonic() - step_started:.1f} 秒（CPU {time.process_time() - step_cpu:.1f} 秒）")
            with transaction.atomic():
                audit.record(
                    actor="demo",
                    action="core.demo.loaded",
                    object_type="demo",
                    object_repr="演示数据",
                    changes={"today": [None, today.isoformat()]},
                )
        self.stdout.write(self.style.SUCCESS(f"演示数据已就绪，用时 {time.monotonic() - started:.1f} 秒。"))
        if outbox.sent:
            self.stdout.write(f"短信 {outbox.sent:,} 条（演示不发送；全文见 {outbox.path()}）")
        if not quiet:
            self.print_logins(results.get("组织机构与工作人员", {}).get("staff", []))

    def print_logins(self, staff):
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"演示账号（密码均为 {DEMO_PASSWORD}）："))
        for row in staff:
            roles = "、".join(ROLE_NAMES.get(r, r) for r in row["roles"])
            self.stdout.write(f"  {row['username']:<16} {row['name']:<6} {row['unit']:<24} {roles}")
