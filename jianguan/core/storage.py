"""Uploaded files encrypted at rest (#14): the media storage of evidence, service proofs, inspection attachments,
sampling photos and work-plan supporting files.

``EncryptedFileSystemStorage`` writes every file as ``crypto.encrypt_bytes`` does for a database column — ``v1:<key
id>:`` then nonce ‖ AES-256-GCM ciphertext ‖ tag, under the current key of ``JIANGUAN_DATA_KEYS`` — and ``open()``
returns the plaintext (``crypto.decrypt_bytes``: a wrong or missing key, altered bytes or a file in clear raise
``crypto.DecryptionError``; nothing is ever returned undecrypted). The key id in the header is what lets ``jianguan
crypto rotate`` find and re-encrypt the files written under an older key.

A file is encrypted and decrypted whole, in memory: every upload reaching this storage is bounded by its app's
rule (complaint evidence 10 MB, inspection attachments ``inspections.upload_max_bytes``, sampling photos 8 MB) or by
``JIANGUAN_MAX_UPLOAD_BYTES`` (50 MB), which ``_save`` enforces for the rest, so a request holds at most about twice
that. ``size()`` is the plaintext's size (what the user uploaded), computed from the stored size and the header
without decrypting. ``url()`` refuses: these files are served only by views that check the reader's scope and read
through ``open()``; ``MEDIA_URL`` is served by nothing in production (``jianguan.urls`` adds it under ``DEBUG``
only, and it would serve the ciphertext). ``path()`` is the ciphertext's path on disk — for the storage itself, the
backup and the migration, never to be read as the file.

Fields use it through ``encrypted_media`` (``FileField(storage=encrypted_media)``): a callable, so a migration
records ``storage=jianguan.core.storage.encrypted_media`` instead of a serialised storage instance. Files an app
writes itself rather than receives as an upload (the monitoring captures) are saved through the same storage and
their names kept in an ``EncryptedMediaPathField`` (a ``CharField``), so that the migrations and ``jianguan crypto
rotate`` find them as they find the ``FileField``s.
"""

from __future__ import annotations

import os
import tempfile

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.db import models

from . import crypto

# The header's fixed part: ``v1:`` … ``:`` around the key id, then the nonce; the GCM tag follows the ciphertext.
_OVERHEAD = len(crypto.PREFIX) + 2 + crypto.NONCE_BYTES + 16
_HEAD = 32  # enough bytes for ``v1:<the longest key id>:``


def max_file_bytes() -> int:
    """The largest file the storage takes (``JIANGUAN_MAX_UPLOAD_BYTES``, 50 MB by default): it holds a file whole
    in memory to encrypt or decrypt it."""
    return int(getattr(settings, "JIANGUAN_MAX_UPLOAD_BYTES", 50 * 1024 * 1024))


class EncryptedFileSystemStorage(FileSystemStorage):
    """``FileSystemStorage`` under ``MEDIA_ROOT`` whose files are AES-256-GCM ciphertext (see the module)."""

    def _save(self, name, content):
        limit = max_file_bytes()
        size = getattr(content, "size", None)
        if size is not None and size > limit:
            raise ValueError(f"文件大小 {size} 字节超过上传上限 {limit} 字节（JIANGUAN_MAX_UPLOAD_BYTES）")
        if hasattr(content, "seek"):
            content.seek(0)
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        if len(data) > limit:
            raise ValueError(f"文件大小 {len(data)} 字节超过上传上限 {limit} 字节（JIANGUAN_MAX_UPLOAD_BYTES）")
        return super()._save(name, ContentFile(crypto.encrypt_bytes(data)))

    def _open(self, name, mode="rb"):
        if any(flag in mode for flag in "wa+x"):
            raise ValueError("加密存储的文件只能读取；写入请用 save()")
        return ContentFile(self.read_plain(name), name=name)

    def read_raw(self, name) -> bytes:
        """The bytes on disk (the ciphertext): for the backup, rotation and tests, never to be served."""
        with open(self.path(name), "rb") as fh:
            return fh.read()

    def read_plain(self, name, ring: crypto.Keyring | None = None) -> bytes:
        """The plaintext of a stored file; ``DecryptionError`` for a file in clear, a missing or wrong key, or
        altered bytes (an empty file stays empty)."""
        return crypto.decrypt_bytes(self.read_raw(name), ring)

    def key_id(self, name) -> str | None:
        """The key id a stored file was written with, from its header; ``None`` for a file in clear (or empty)."""
        with open(self.path(name), "rb") as fh:
            return crypto.key_id_bytes(fh.read(_HEAD))

    def size(self, name):
        """The plaintext's size (what was uploaded), from the stored size less the header and the tag."""
        stored = super().size(name)
        kid = self.key_id(name)
        return stored if kid is None else stored - _OVERHEAD - len(kid)

    def url(self, name):
        raise ValueError("加密存储的文件不经 MEDIA_URL 提供：请通过检查权限与范围的下载视图读取")

    def write_raw(self, name, data: bytes) -> None:
        """Replace a stored file's bytes atomically (a temporary file in the same folder, then ``os.replace``),
        keeping its permissions: the migration and rotation, which rewrite files in place under their name."""
        target = self.path(name)
        mode = os.stat(target).st_mode & 0o777
        fd, temporary = tempfile.mkstemp(dir=os.path.dirname(target), prefix=".enc-")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
                fh.flush()
                os.fsync(fh.fileno())
            os.chmod(temporary, mode)
            os.replace(temporary, target)
        except BaseException:
            if os.path.exists(temporary):
                os.unlink(temporary)
            raise


_storage = EncryptedFileSystemStorage()


def encrypted_media() -> EncryptedFileSystemStorage:
    """The storage of uploaded files that may hold personal data (``FileField(storage=encrypted_media)``)."""
    return _storage


class EncryptedMediaPathField(models.CharField):
    """The name (the path under ``MEDIA_ROOT``) of a file the app wrote itself through ``encrypted_media().save``
    — not an upload, so not a ``FileField``, but stored alike: ``storage`` is the encrypting storage, the file is
    read through ``storage.open``/``read_plain`` and never from the path, and ``encrypted_file_fields`` lists it so
    that the data migration (``media_operation``) and ``jianguan crypto rotate`` treat it as they treat a
    ``FileField``. The column is a plain ``varchar``."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = encrypted_media()


# --- Existing files: the data migrations and ``jianguan crypto rotate`` -------------------------------------------


def _names(model, fields: list[str]):
    """``(pk, field, stored name)`` of every non-empty file of ``model``, by primary key."""
    qs = model._base_manager.order_by("pk").values_list("pk", *fields)
    for row in qs.iterator(chunk_size=500):
        for field, name in zip(fields, row[1:], strict=True):
            if name:
                yield row[0], field, name


def encrypt_media(model, fields: list[str], *, storage: EncryptedFileSystemStorage | None = None) -> tuple[int, int]:
    """Encrypt in place the files of ``fields`` still stored in clear (the data migration of each app). A file
    already encrypted is skipped, so a migration that stopped half-way runs again; a file missing on disk is
    counted and skipped (there is nothing to protect). Returns (files encrypted, files missing)."""
    storage = storage or encrypted_media()
    ring = crypto.keyring()
    done = missing = 0
    for _pk, _field, name in _names(model, fields):
        if not storage.exists(name):
            missing += 1
            continue
        raw = storage.read_raw(name)
        if not raw or crypto.key_id_bytes(raw) is not None:
            continue
        storage.write_raw(name, crypto.encrypt_bytes(raw, ring))
        done += 1
    return done, missing


def decrypt_media(model, fields: list[str], *, storage: EncryptedFileSystemStorage | None = None) -> int:
    """The reverse: the plaintext back on disk (the migration reversed). Returns the files written."""
    storage = storage or encrypted_media()
    ring = crypto.keyring()
    done = 0
    for _pk, _field, name in _names(model, fields):
        if storage.exists(name) and storage.key_id(name) is not None:
            storage.write_raw(name, storage.read_plain(name, ring))
            done += 1
    return done


def media_operation(app_label: str, model_name: str, fields: list[str]):
    """A ``RunPython`` encrypting (forwards) and decrypting (backwards) the stored files of one model."""
    from jianguan.core.crypto_migrations import model_operation

    return model_operation(app_label, model_name, fields, encrypt_media, decrypt_media)


def encrypted_file_fields():
    """[(model, [names of its fields naming a file kept in an ``EncryptedFileSystemStorage``: its ``FileField``s
    of that storage and its ``EncryptedMediaPathField``s])] of every installed model."""
    from django.apps import apps
    from django.db.models import FileField

    found = []
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields
                 if isinstance(f, FileField | EncryptedMediaPathField)
                 and isinstance(f.storage, EncryptedFileSystemStorage)]
        if names:
            found.append((model, names))
    return sorted(found, key=lambda item: item[0]._meta.label)


def rotate_media(model, fields: list[str], report, ring: crypto.Keyring, progress=None) -> None:
    """Re-encrypt under the current key every file of ``fields`` written under another one (``crypto rotate``).
    A file in clear stops the run (``DecryptionError``: it should have been encrypted by the migration); a file
    missing on disk is counted in ``report.missing``. Each file is replaced atomically, so an interrupted run is
    run again and skips the files already under the current key."""
    storage_of = {name: model._meta.get_field(name).storage for name in fields}
    for pk, field, name in _names(model, fields):
        storage = storage_of[field]
        report.rows += 1
        if not storage.exists(name):
            report.missing += 1
            continue
        raw = storage.read_raw(name)
        if not raw:
            continue
        kid = crypto.key_id_bytes(raw)
        if kid is None:
            raise crypto.DecryptionError(
                f"{model._meta.label} #{pk} 的文件「{name}」不是密文（未加密的文件？请先运行数据库迁移）")
        if kid == ring.current:
            continue
        storage.write_raw(name, crypto.encrypt_bytes(crypto.decrypt_bytes(raw, ring), ring))
        report.reencrypted += 1
        if progress:
            progress(report)
