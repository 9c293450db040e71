"""`jianguan serve` runs the production server: gunicorn, DEBUG off, static files from WhiteNoise."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_serve_starts_gunicorn_with_static_files(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    env.update({"JIANGUAN_DEBUG": "0", "JIANGUAN_SECRET_KEY": "s" * 60, "JIANGUAN_ALLOWED_HOSTS": "127.0.0.1",
                "JIANGUAN_SSL_REDIRECT": "0", "JIANGUAN_VAR_DIR": str(tmp_path)})
    subprocess.run([sys.executable, "-m", "jianguan", "migrate", "-v0"], cwd=ROOT, env=env, check=True, timeout=300)
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
    finally:
        proc.terminate()
        proc.wait(timeout=20)
