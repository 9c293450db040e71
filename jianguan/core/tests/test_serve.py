"""`jianguan serve` runs the production server: gunicorn, DEBUG off, static files from WhiteNoise."""

import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from jianguan.core.tests.test_settings import DATA_KEYS

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_gunicorn_with_static_files(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    env.update({"JIANGUAN_DEBUG": "0", "JIANGUAN_SECRET_KEY": "s" * 60, **DATA_KEYS, "JIANGUAN_ALLOWED_HOSTS": "127.0.0.1",
                "JIANGUAN_SSL_REDIRECT": "0", "JIANGUAN_VAR_DIR": str(tmp_path)})
    subprocess.run([sys.executable, "-m", "jianguan", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
    # migrate left the new file in WAL mode, stored in the file (a plain connection sees it)
    db = sqlite3.connect(tmp_path / "jianguan.sqlite3")
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()
    proc = subprocess.Popen([sys.executable, "-m", "jianguan", "serve", "--bind", f"127.0.0.1:{port}", "--workers",
                             "1"], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        # collectstatic + gunicorn boot: seconds on a quiet machine, much longer beside a busy parallel test worker
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                health = urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise AssertionError(proc.stdout.read1().decode() if proc.stdout else "server did not start")
        assert health.status == 200
        page = urllib.request.urlopen(f"{base}/workbench/login/", timeout=5).read().decode()
        css = next(part.split('"')[0] for part in page.split('href="') if "bootstrap.min" in part)
        assert ".css" in css and css != "/static/vendor/bootstrap/bootstrap.min.css"  # hashed name from the manifest
        static = urllib.request.urlopen(f"{base}{css}", timeout=5)
        assert static.status == 200 and "max-age" in static.headers.get("Cache-Control", "")
        # the application is loaded in the master (workers fork warm), and a graceful reload keeps serving
        argv = Path(f"/proc/{proc.pid}/cmdline").read_bytes().split(b"\0")
        assert b"--preload" in argv
        # threaded workers (keep-alive connections) that drain on a graceful stop — gunicorn's own gthread worker
        # dropped accepted connections after the HUP below — and no access log of its own unless asked (the proxy
        # in front keeps one)
        assert argv[argv.index(b"--threads") + 1] == b"4" and b"--access-logfile" not in argv
        assert argv[argv.index(b"--worker-class") + 1] == b"jianguan.core.serving.DrainingThreadWorker"
        os.kill(proc.pid, signal.SIGHUP)
        for _ in range(20):
            assert urllib.request.urlopen(f"{base}/healthz", timeout=10).status == 200
    finally:
        # a graceful stop: 2.5–5.3 s alone, over 20 s once beside a busy parallel test worker right after the HUP
        # (old workers draining, the new one starting); gunicorn's graceful timeout bounds it at 30 s
        proc.terminate()
        proc.wait(timeout=60)


def test_importing_the_wsgi_application_warms_it_and_leaves_no_database_connection(tmp_path):
    """What gunicorn --preload imports in the master: the URLconf (every app's views and API) loaded, and no open
    database connection that the forked workers would share."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    env.update({"JIANGUAN_DEBUG": "0", "JIANGUAN_SECRET_KEY": "s" * 60, **DATA_KEYS, "JIANGUAN_VAR_DIR": str(tmp_path)})
    probe = (
        "import sys; from jianguan.wsgi import application; from django.db import connections; "
        "from django.urls import get_resolver; "
        "assert get_resolver()._populated; "
        "assert 'jianguan.portal.views' in sys.modules and 'jianguan.api.urls' in sys.modules; "
        "assert all(c.connection is None for c in connections.all(initialized_only=True)); print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert out.stdout.strip() == "ok", out.stderr[-2000:]
