"""Backups of the whole system: the database (a consistent snapshot), the media files and the audit anchors, in one
archive with a manifest of SHA-256 checksums.

- SQLite: the database file is copied with SQLite's online backup API (a consistent snapshot while others write);
- PostgreSQL: ``pg_dump --format=custom`` (one transaction, a consistent snapshot; binaries from PATH or
  JIANGUAN_PG_BINDIR / /usr/lib/postgresql/*/bin).

``restore`` checks every checksum before it touches anything, then replaces the database's content and the media
files. It restores to the same kind of database the backup came from.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.db import connection

FORMAT = "jianguan-backup/1"


class BackupError(Exception):
    pass


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def pg_bin(name: str) -> str:
    explicit = os.environ.get("JIANGUAN_PG_BINDIR")
    candidates = [Path(explicit) / name] if explicit else []
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    candidates += sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    for c in candidates:
        if c.exists():
            return str(c)
    raise BackupError(f"找不到 {name}：请安装 PostgreSQL 客户端或设置 JIANGUAN_PG_BINDIR")


def _pg_env_and_args() -> tuple[dict, list[str]]:
    s = connection.settings_dict
    env = dict(os.environ)
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", s["HOST"]]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    return env, args


def _dump_database(target: Path) -> str:
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        dest = sqlite3.connect(target)
        try:
            connection.connection.backup(dest)  # SQLite's online backup: a consistent copy, even of :memory:
        finally:
            dest.close()
        return "sqlite"
    if connection.vendor == "postgresql":
        env, args = _pg_env_and_args()
        subprocess.run([pg_bin("pg_dump"), "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
                        *args], env=env, check=True, capture_output=True)
        return "postgresql"
    raise BackupError(f"不支持的数据库：{connection.vendor}")


def backup(output: Path) -> dict:
    """Write the archive to ``output``; returns its manifest."""
    from jianguan.core import audit

    output = Path(output)
    with tempfile.TemporaryDirectory(prefix="jianguan-backup-") as tmp:
        tmp = Path(tmp)
        db_file = tmp / "database.dump"
        vendor = _dump_database(db_file)
        members = {"database.dump": db_file}
        anchors = audit.anchor_path()
        if anchors.exists():
            members["audit-anchors.jsonl"] = anchors
        media = Path(settings.MEDIA_ROOT)
        media_files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
        for p in media_files:
            members[f"media/{p.relative_to(media).as_posix()}"] = p
        manifest = {
            "format": FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "vendor": vendor,
            "audit_head": list(audit._chain_end()),
            "files": {name: {"sha256": _sha256(path), "bytes": path.stat().st_size} for name, path in members.items()},
        }
        output.parent.mkdir(parents=True, exist_ok=True)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:
            data = json.dumps(manifest, ensure_ascii=False, indent=2).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
            for name, path in members.items():
                tar.add(path, arcname=name, recursive=False)
        partial.replace(output)
    return manifest


def _safe_members(tar: tarfile.TarFile) -> list[tarfile.TarInfo]:
    out = []
    for m in tar.getmembers():
        p = Path(m.name)
        if p.is_absolute() or ".." in p.parts or not (m.isfile()):
            raise BackupError(f"备份文件含有不安全的路径：{m.name}")
        out.append(m)
    return out


def verify(archive: Path, into: Path) -> dict:
    """Extract ``archive`` into ``into`` and check every checksum; returns the manifest."""
    try:
        with tarfile.open(archive, "r:gz") as tar:
            members = _safe_members(tar)
            tar.extractall(into, members=members, filter="data")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"无法读取备份文件：{exc}") from None
    manifest_path = into / "manifest.json"
    if not manifest_path.exists():
        raise BackupError("备份文件缺少 manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    if manifest.get("format") != FORMAT:
        raise BackupError(f"不认识的备份格式：{manifest.get('format')}")
    extracted = {m.name for m in members} - {"manifest.json"}
    if extracted != set(manifest["files"]):
        raise BackupError("备份文件的内容与清单不符（文件多出或缺少）")
    for name, meta in manifest["files"].items():
        if _sha256(into / name) != meta["sha256"]:
            raise BackupError(f"校验和不符：{name}（备份文件已损坏或被改动）")
    return manifest


def _restore_database(dump: Path, vendor: str) -> None:
    if vendor != connection.vendor:
        raise BackupError(f"备份来自 {vendor}，当前数据库是 {connection.vendor}：请恢复到同类数据库")
    if vendor == "sqlite":
        connection.ensure_connection()
        src = sqlite3.connect(dump)
        try:
            src.backup(connection.connection)  # replaces the whole content of the live database
        finally:
            src.close()
        return
    env, args = _pg_env_and_args()
    connection.close()  # pg_restore drops and recreates the tables: no open transaction of ours may hold them
    result = subprocess.run([pg_bin("pg_restore"), "--clean", "--if-exists", "--no-owner", "--no-privileges",
                             "--single-transaction", *args, str(dump)], env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"pg_restore 失败：{result.stderr.strip()[-2000:]}")


def restore(archive: Path) -> dict:
    """Check ``archive`` and put its database, media files and audit anchors back; returns its manifest."""
    from django.core.cache import cache

    from jianguan.core import audit

    with tempfile.TemporaryDirectory(prefix="jianguan-restore-") as tmp:
        tmp = Path(tmp)
        manifest = verify(Path(archive), tmp)
        _restore_database(tmp / "database.dump", manifest["vendor"])
        media = Path(settings.MEDIA_ROOT)
        if (tmp / "media").exists():
            if media.exists():
                shutil.rmtree(media)
            shutil.copytree(tmp / "media", media)
        if (tmp / "audit-anchors.jsonl").exists():
            audit.anchor_path().parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(tmp / "audit-anchors.jsonl", audit.anchor_path())
    cache.clear()  # cached policies, rules and calendars came from the database that was replaced
    return manifest
