"""``jianguan publicrecords [--all]``: build the stored public records (``portal.records``) in bulk.

Without ``--all``: the missing ones, those marked for rebuilding, past their ``valid_until`` or with complaint
figures (the daily sweep does the same). With ``--all``: every entity's, e.g. after loading a register with COPY. ``--workers N``: N processes side by side on
PostgreSQL (one core each; SQLite builds in one).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jianguan.portal import records


class Command(BaseCommand):
    help = "公示信息：批量生成已存储的市场主体公示信息（默认仅缺失或待更新的；--all 全部重建）"

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", dest="everything", help="全部重建")
        parser.add_argument("--workers", type=int, default=1, metavar="N",
                            help="并行进程数（仅 PostgreSQL；默认 1，建议不超过 CPU 核数）")
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="数据日期（默认今天）")

    def handle(self, *args, everything, today, workers, **opts):
        if workers < 1:
            raise CommandError("--workers 须为正整数")
        try:
            result = records.rebuild(everything=everything, today=today, stdout=self.stdout, workers=workers)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已生成 {result['built']:,} 条公示信息（{result['seconds']} 秒）"))
