"""``jianguan risk recompute [--on YYYY-MM-DD] [--engine local|dask] [--scheduler URL] [--workers N]``.

Reclassifies every active entity (信用风险分类全量重算), audited like the workbench's button. ``--engine dask`` scores the
entities on a Dask cluster (``credit/risk_dask.py``): the scheduler named by ``--scheduler`` or
``JIANGUAN_DASK_SCHEDULER``, else a local cluster of ``--workers`` processes; the result is the same as ``local``.
"""

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jianguan.credit import services


class Command(BaseCommand):
    help = "信用风险分类：recompute 全量重算（--engine local|dask，结果相同）"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["recompute"], help="recompute：全量重算")
        parser.add_argument("--on", type=dt.date.fromisoformat, help="按该日期分类（YYYY-MM-DD，默认今天）")
        parser.add_argument("--engine", choices=["local", "dask"], default="local",
                            help="local：数据库内集合运算；dask：在 Dask 集群上逐分片计分")
        parser.add_argument("--scheduler", help="Dask 调度器地址（默认取环境变量 JIANGUAN_DASK_SCHEDULER；都没有则在本机起集群）")
        parser.add_argument("--workers", type=int, help="本机集群的工作进程数（默认：可用核数）")
        parser.add_argument("--part-rows", type=int, default=1_000_000, help="每个 Parquet 分片的行数（默认 1,000,000）")

    def handle(self, *args, action, on=None, engine="local", scheduler=None, workers=None, part_rows=1_000_000, **opts):
        on = on or timezone.localdate()
        if part_rows < 1:
            raise CommandError("--part-rows 必须 ≥ 1")
        if engine == "local":
            result = services.risk_recompute(actor="jianguan risk recompute", on=on)
        else:
            from jianguan.credit.risk_dask import Classifier
            from jianguan.inspections.draw_dask import Progress, connect

            client, cluster = connect(scheduler, workers)
            try:
                classify = Classifier(client, part_rows=part_rows, progress=Progress(sys.stderr))
                result = services.risk_recompute(actor="jianguan risk recompute", on=on, classify=classify)
            finally:
                client.close()
                if cluster is not None:
                    cluster.close()
        counts = "，".join(f"{k}={v}" for k, v in result.as_counts().items())
        self.stdout.write(self.style.SUCCESS(f"信用风险分类（{engine}，{on.isoformat()}）：{counts}"))
