"""Run a command against a throwaway PostgreSQL server.

    python -m jianguan.testing.postgres -- pytest -q

initdb's a fresh cluster in a temporary directory, starts it on a Unix socket only (no TCP port to collide with),
exports DATABASE_URL for the command, and removes everything afterwards. PostgreSQL refuses to run as root, so
as root the server runs as the ``postgres`` user (created by Debian's postgresql package).
"""

from __future__ import annotations

import argparse
import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

INSTALL_HINT = (
    "PostgreSQL server binaries (initdb, pg_ctl, postgres ≥ 15) were not found. Install them with "
    "'apt-get install postgresql' (Debian/Ubuntu) or set JIANGUAN_PG_BIN to the folder that holds them."
)


def find_bindir() -> Path:
    explicit = os.environ.get("JIANGUAN_PG_BIN")
    candidates = [Path(explicit)] if explicit else []
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name), reverse=True)
    candidates += [Path(p) for p in versions if int(Path(p).parent.name) >= 15]
    on_path = shutil.which("initdb")
    if on_path:
        candidates.append(Path(on_path).parent)
    for c in candidates:
        if (c / "initdb").exists() and (c / "pg_ctl").exists():
            return c
    raise SystemExit(INSTALL_HINT)


def _as_pg_user(cmd: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return cmd
    try:
        pwd.getpwnam("postgres")
    except KeyError:
        raise SystemExit(
            "Running as root, PostgreSQL needs a 'postgres' user: apt-get install postgresql "
            "creates it (or: useradd --system postgres)."
        ) from None
    return ["runuser", "-u", "postgres", "--", *cmd]


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Yield a DATABASE_URL for a fresh server; stop and delete it afterwards."""
    bindir = find_bindir()
    root = Path(tempfile.mkdtemp(prefix="jianguan-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        pw = pwd.getpwnam("postgres")
        for p in (root, sock):
            os.chown(p, pw.pw_uid, pw.pw_gid)
    log = root / "server.log"
    try:
        subprocess.run(
            _as_pg_user(
                [
                    str(bindir / "initdb"),
                    "-D",
                    str(data),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                    "-E",
                    "UTF8",
                    "--locale=C.UTF-8",
                    "--no-sync",
                ]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        # Durability off: this cluster lives for one test run.
        opts = (
            f"-k {sock} -c listen_addresses='' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=100 -c shared_buffers=256MB"
        )
        subprocess.run(
            _as_pg_user(
                [str(bindir / "pg_ctl"), "-D", str(data), "-o", opts, "-l", str(log), "-w", "-t", "60", "start"]
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        yield f"postgres://postgres@{quote(str(sock), safe='')}/postgres"
    finally:
        if (data / "postmaster.pid").exists():
            subprocess.run(
                _as_pg_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop"]),
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        shutil.rmtree(root, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", nargs=argparse.REMAINDER, help="the command to run (after --)")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give a command to run, e.g. -- pytest")
    started = time.monotonic()
    with throwaway_server() as url:
        print(f"[postgres] throwaway server ready in {time.monotonic() - started:.1f}s", file=sys.stderr)
        env = {**os.environ, "DATABASE_URL": url}
        return subprocess.call(command, env=env)


if __name__ == "__main__":
    sys.exit(main())
