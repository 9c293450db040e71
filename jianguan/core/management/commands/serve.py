"""``jianguan serve``: the production server (gunicorn), static files collected and served by WhiteNoise."""

from __future__ import annotations

import os
import shutil
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

#: Threads per gunicorn worker by default (gthread); ``--threads 1`` gives sync workers.
DEFAULT_THREADS = 4


class Command(BaseCommand):
    help = "运行生产服务器（gunicorn）。参数也可由环境变量 JIANGUAN_BIND、JIANGUAN_WORKERS、JIANGUAN_THREADS、JIANGUAN_KEEPALIVE、JIANGUAN_ACCESS_LOG 给出。"

    def add_arguments(self, parser):
        parser.add_argument("--bind", default=os.environ.get("JIANGUAN_BIND", "127.0.0.1:8000"),
                            help="监听地址 HOST:PORT（默认 127.0.0.1:8000）")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("JIANGUAN_WORKERS", "0") or 0),
                            help="工作进程数（默认等于 CPU 核数）")
        parser.add_argument("--threads", type=int, default=int(os.environ.get("JIANGUAN_THREADS", "0") or 0),
                            help=f"每个工作进程的线程数（默认 {DEFAULT_THREADS}；1 = 同步工作进程）")
        parser.add_argument("--keep-alive", type=int, default=int(os.environ.get("JIANGUAN_KEEPALIVE", "5") or 5),
                            help="保持连接秒数（默认 5；仅多线程 gthread 工作进程有效）")
        parser.add_argument("--access-log", default=os.environ.get("JIANGUAN_ACCESS_LOG", ""),
                            help="gunicorn 访问日志：文件路径，或 - 输出到标准输出（默认不记录：由前置的 nginx 或负载均衡记录）")
        parser.add_argument("--timeout", type=int, default=60)
        parser.add_argument("--no-collectstatic", action="store_true", help="不执行 collectstatic")
        parser.add_argument("--migrate", action="store_true", help="启动前执行数据库迁移")

    def handle(self, *args, bind, workers, threads, keep_alive, access_log, timeout, no_collectstatic, migrate, **opts):
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
        # Threaded workers, one per core, DEFAULT_THREADS threads each, keep-alive 5 s. bench_portal on SQLite (2 shared
        # cores at load 4–10, wrk 32 keep-alive connections, the same code, alternated; docs/benchmarks.md #16): record
        # 2,854 req/s p99 51 ms, /healthz 4,842 req/s; the former 5 sync workers 1,118 req/s p99 92 ms and 1,536;
        # 2 × 8 threads 2,087 and 2,462; 3 × 4 threads 2,889 and 4,206. A sync worker answers one connection at a
        # time and closes it after each answer, so every request paid a new TCP connection, and the extra processes
        # only competed for the cores; threads contend for the GIL on CPU-bound work, hence few of them — enough to
        # keep a core busy while a request waits on the database or the network.
        workers = workers or (os.cpu_count() or 1)
        threads = threads or DEFAULT_THREADS
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
                "--threads", str(threads), "--keep-alive", str(keep_alive), "--timeout", str(timeout),
                "--forwarded-allow-ips", os.environ.get("JIANGUAN_FORWARDED_ALLOW_IPS", "127.0.0.1")]
        # No access log unless asked: the proxy in front (TLS, README) logs every request; gunicorn's own line cost
        # ~45 µs of CPU per request in that bench (its request-header atoms formatted, a write per request), a
        # sixth of answering /healthz.
        if access_log:
            argv += ["--access-logfile", access_log]
        if threads > 1:  # gunicorn's gthread worker, stopping without dropping accepted connections (core/serving.py)
            argv += ["--worker-class", "jianguan.core.serving.DrainingThreadWorker"]
        self.stdout.write(f"gunicorn {bind}，{workers} 个工作进程 × {threads} 个线程")
        sys.stdout.flush()
        os.execv(gunicorn, argv)  # replace this process: signals go straight to gunicorn
