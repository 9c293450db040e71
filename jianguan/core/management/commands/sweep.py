import datetime as dt
import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jianguan.core import sweep


class Command(BaseCommand):
    help = "运行每日作业（年报列异、名录期限、信用风险分类…）。幂等：同一天重复运行不产生新的变化。"

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, help="以该日期为“今天”运行（YYYY-MM-DD），用于补跑")
        parser.add_argument("--only", metavar="NAME", help="只运行指定作业")
        parser.add_argument("--list", action="store_true", help="列出已登记的作业")
        parser.add_argument("--workers", type=int, metavar="N",
                            help="并行进程数（仅 PostgreSQL；默认按规则 core.sweep_workers；1 为逐个运行）")

    def handle(self, *args, today=None, only=None, list=False, workers=None, **opts):
        if workers is not None and workers < 1:
            raise CommandError("--workers 须为正整数")
        sweep.discover()
        if list:
            for job in sweep.ordered():
                self.stdout.write(f"{job.order:>5}  {job.name:<32} {job.label}")
            return
        if only and only not in sweep.JOBS:
            names = "、".join(j.name for j in sweep.ordered())
            raise CommandError(f"没有名为 {only!r} 的作业。已登记：{names}")
        today = today or timezone.localdate()
        self.stdout.write(f"每日作业，日期 {today.isoformat()}")
        failed = []
        started = time.monotonic()

        def report(outcome):
            name = outcome.job.name
            if outcome.ok:
                counts = "，".join(f"{k}={v}" for k, v in outcome.counts.items()) or "无变化"
                self.stdout.write(self.style.SUCCESS(f"✓ {name}: {counts}") + f"（{outcome.seconds:.1f} 秒）")
            else:
                failed.append(name)
                logging.getLogger("jianguan.sweep").error("sweep job %s failed: %s", name, outcome.error)
                self.stderr.write(self.style.ERROR(f"✗ {name}: {outcome.error}") + f"（{outcome.seconds:.1f} 秒）")
            self.stdout.flush()

        outcomes = sweep.run(today=today, only=only, stdout=self.stdout, report=report, workers=workers)
        self.stdout.write(f"共 {len(outcomes)} 个作业，用时 {time.monotonic() - started:.1f} 秒")
        if failed:
            raise CommandError(f"{len(failed)} 个作业失败：{'、'.join(failed)}（已回滚这些作业，其他作业已完成）")
