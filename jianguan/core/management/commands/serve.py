"""``jianguan serve``: the production server (gunicorn), static files collected and served by WhiteNoise."""

from __future__ import annotations

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "运行生产服务器（gunicorn）。参数也可由环境变量 JIANGUAN_BIND、JIANGUAN_WORKERS 给出。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIANGUAN_BIND", "127.0.0.1:8000"),
                            help="监听地址 HOST:PORT（默认 127.0.0.1:8000）")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JIANGUAN_WORKERS", "0") or 0),
                            help="工作进程数（默认 2×CPU+1）")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("JIANGUAN_THREADS", "1") or 1))
        parser.add_argument("--keep-alive", type=int, default=int(os.environ.get("JIANGUAN_KEEPALIVE", "2") or 2),
                            help="保持连接秒数（仅多线程 gthread 工作进程有效）")
        parser.add_argument("--timeout", type=int, default=60)
        parser.add_argument("--no-collectstatic", action="store_true", help="不执行 collectstatic")
        parser.add_argument("--migrate", action="store_true", help="启动前执行数据库迁移")

    def handle(self, *args, bind, workers, threads, keep_alive, timeout, no_collectstatic, migrate, **opts):
        if settings.DEBUG:
            self.stderr.write(self.style.WARNING("JIANGUAN_DEBUG=1：生产环境请关闭调试模式。"))
        if migrate:
            call_command("migrate", interactive=False, verbosity=1)
        from django.db import connection

        from jianguan.core.sqlite.base import ensure_wal

        ensure_wal(connection)  # a file restored from a backup may come back in rollback-journal mode
        connection.close()  # nothing of this process's connection may reach the workers
        if not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
        if gunicorn is None:
            raise CommandError("gunicorn 未安装：pip install gunicorn")
        # Sync workers, 2×CPU+1 (bench_portal, 2 cores, 1,000,000 entities: 1,870 req/s p99 21 ms; 3 sync workers 2,020
        # p99 19 ms; 3 gthread workers × 2 threads 980–1,870 and p99 38 ms — threads only contend for the GIL on this
        # CPU-bound work). The spare workers are for requests that wait on the database (searches, a record rebuilt
        # on read), which would otherwise stall the others. Keep-alive matters only with --threads > 1.
        workers = workers or (2 * (os.cpu_count() or 1) + 1)
        from jianguan.core.ratelimits import cache_is_per_process

        if workers > 1 and cache_is_per_process() and os.environ.get("JIANGUAN_ALLOW_PROCESS_CACHE") != "1":
            # Rate limits and login throttles count in the cache: per process, the real limit is rule × workers.
            raise CommandError(
                f"{workers} 个工作进程不能使用进程内缓存（限流计数会按进程分别计算）。请设置共享缓存 JIANGUAN_CACHE_URL"
                "（redis://…、pymemcache://host:port 或单机的 file:///目录），或用 --workers 1。"
            )
        # --preload: the application is imported (and warmed, jianguan/wsgi.py) once in the master; workers fork from it
        # ready, so no first request pays ~2 s of imports, and neither do the workers a HUP or a crash replaces. A HUP
        # therefore keeps the code loaded: to deploy new code, restart the service (or USR2 then QUIT the old master).
        argv = [gunicorn, "jianguan.wsgi:application", "--preload", "--bind", bind, "--workers", str(workers),
                "--threads", str(threads), "--keep-alive", str(keep_alive), "--timeout", str(timeout), "--access-logfile", "-",
                "--forwarded-allow-ips", os.environ.get("JIANGUAN_FORWARDED_ALLOW_IPS", "127.0.0.1")]
        self.stdout.write(f"gunicorn {bind}，{workers} 个工作进程")
        sys.stdout.flush()
        os.execv(gunicorn, argv)  # replace this process: signals go straight to gunicorn
