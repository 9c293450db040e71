"""Encryption at rest of personal data (#14, MLPS level 3 confidentiality).

ID numbers, phone numbers and home addresses of natural persons and reporters are stored as AES-256-GCM ciphertext
(``EncryptedTextField``); where a field is searched by its exact value, a companion column holds a keyed hash of the
normalised value (``BlindIndexField``, HMAC-SHA-256), so equality search never needs the plaintext in the database.

Keys come from the environment, never from the database:

- ``JIANGUAN_DATA_KEYS``: ``kid:base64key[,kid:base64key…]``, 32-byte keys. The first is the *current* key (new
  values are written with it); the others only decrypt, until ``jianguan crypto rotate`` has re-encrypted every row.
- ``JIANGUAN_DATA_HASH_KEY``: the blind-index key (base64, ≥ 32 bytes). Changing it needs
  ``jianguan crypto rotate --rehash-from OLDKEY`` (the hashes are recomputed from the decrypted values).

In development and tests both are derived from ``SECRET_KEY`` (key id ``dev``); production refuses to start without
them (settings). A stored value reads ``v1:<kid>:<base64url(nonce ‖ ciphertext ‖ tag)>``; the empty string stays empty
(a blank field reveals only that it is blank). A value that cannot be decrypted — unknown key id, wrong key, altered
ciphertext, plaintext where ciphertext belongs — raises ``DecryptionError``: never a silent wrong or empty value.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.core.exceptions import ImproperlyConfigured

PREFIX = "v1"
NONCE_BYTES = 12
DEV_KID = "dev"
_KID = re.compile(r"^[A-Za-z0-9_-]{1,16}$")


class DecryptionError(ValueError):
    """A stored personal value that the configured keys cannot open."""


@dataclass(frozen=True)
class Keyring:
    current: str
    ciphers: dict[str, AESGCM]
    hash_key: bytes


def _b64(raw: str, what: str) -> bytes:
    text = raw.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except ValueError:
        raise ImproperlyConfigured(f"{what}: not valid base64") from None


def parse_keys(spec: str) -> tuple[str, dict[str, bytes]]:
    """``kid:base64key,…`` → (current kid, {kid: key}). Every key must be 32 bytes (AES-256)."""
    keys: dict[str, bytes] = {}
    current = ""
    for part in (p.strip() for p in spec.split(",")):
        if not part:
            continue
        kid, sep, raw = part.partition(":")
        if not sep or not _KID.match(kid):
            raise ImproperlyConfigured(
                f"JIANGUAN_DATA_KEYS: 「{part[:20]}…」 should read kid:base64key (kid: letters, digits, - or _)")
        key = _b64(raw, f"JIANGUAN_DATA_KEYS key {kid}")
        if len(key) != 32:
            raise ImproperlyConfigured(f"JIANGUAN_DATA_KEYS key {kid}: {len(key)} bytes, expected 32 (AES-256)")
        if kid in keys:
            raise ImproperlyConfigured(f"JIANGUAN_DATA_KEYS: key id {kid} given twice")
        keys[kid] = key
        current = current or kid
    if not keys:
        raise ImproperlyConfigured("JIANGUAN_DATA_KEYS is empty")
    return current, keys


def parse_hash_key(raw: str) -> bytes:
    key = _b64(raw, "JIANGUAN_DATA_HASH_KEY")
    if len(key) < 32:
        raise ImproperlyConfigured(f"JIANGUAN_DATA_HASH_KEY: {len(key)} bytes, expected at least 32")
    return key


def new_key() -> str:
    """A fresh key, base64 (for ``jianguan crypto newkey`` and the operator's notes)."""
    return base64.b64encode(os.urandom(32)).decode()


_cache: dict[tuple, Keyring] = {}


def keyring() -> Keyring:
    """The keys from settings (``JIANGUAN_DATA_KEYS``, ``JIANGUAN_DATA_HASH_KEY``), or the development keys derived
    from ``SECRET_KEY`` when those are not set (settings refuse that in production)."""
    from django.conf import settings

    spec = getattr(settings, "JIANGUAN_DATA_KEYS", "") or ""
    hash_raw = getattr(settings, "JIANGUAN_DATA_HASH_KEY", "") or ""
    marker = (spec, hash_raw, settings.SECRET_KEY)
    found = _cache.get(marker)
    if found is not None:
        return found
    if spec:
        current, keys = parse_keys(spec)
    else:
        current = DEV_KID
        keys = {DEV_KID: hmac.new(settings.SECRET_KEY.encode(), b"jianguan-data-key-v1", hashlib.sha256).digest()}
    hash_key = (parse_hash_key(hash_raw) if hash_raw
                else hmac.new(settings.SECRET_KEY.encode(), b"jianguan-data-hash-key-v1", hashlib.sha256).digest())
    ring = Keyring(current=current, ciphers={kid: AESGCM(key) for kid, key in keys.items()}, hash_key=hash_key)
    _cache.clear()
    _cache[marker] = ring
    return ring


def environment() -> dict[str, str]:
    """The keys in use as environment variables, for a child process that must read the same data (a benchmark's
    production-settings server): the configured ones, or the development keys derived from ``SECRET_KEY``."""
    from django.conf import settings

    spec = getattr(settings, "JIANGUAN_DATA_KEYS", "") or (
        f"{DEV_KID}:" + base64.b64encode(
            hmac.new(settings.SECRET_KEY.encode(), b"jianguan-data-key-v1", hashlib.sha256).digest()).decode())
    return {"JIANGUAN_DATA_KEYS": spec, "JIANGUAN_DATA_HASH_KEY": base64.b64encode(keyring().hash_key).decode()}


def encrypt(value: str | None, ring: Keyring | None = None) -> str | None:
    """The stored form of ``value`` under the current key. ``None`` and ``""`` are stored as they are."""
    if value is None or value == "":
        return value
    ring = ring or keyring()
    nonce = os.urandom(NONCE_BYTES)
    sealed = ring.ciphers[ring.current].encrypt(nonce, str(value).encode(), None)
    return f"{PREFIX}:{ring.current}:{base64.urlsafe_b64encode(nonce + sealed).decode()}"


def encrypt_many(values, ring: Keyring | None = None) -> list:
    """``encrypt`` over a sequence with one key lookup (bulk paths: imports, seeding, rotation)."""
    ring = ring or keyring()
    return [encrypt(v, ring) for v in values]


def key_id(stored: str | None) -> str | None:
    """The key id a stored value was written with (``None`` for empty values)."""
    if not stored:
        return None
    parts = stored.split(":", 2)
    return parts[1] if len(parts) == 3 and parts[0] == PREFIX else None


def decrypt(stored: str | None, ring: Keyring | None = None) -> str | None:
    """The plaintext of a stored value. Raises ``DecryptionError`` when the value is not ciphertext, was written with
    a key that is not configured, or does not authenticate under it (wrong key or altered bytes)."""
    if stored is None or stored == "":
        return stored
    ring = ring or keyring()
    prefix, _s, rest = stored.partition(":")
    kid, _s2, body = rest.partition(":")
    if prefix != PREFIX or not body:
        raise DecryptionError("个人信息字段中不是密文（未加密的数据？请运行数据库迁移或 jianguan crypto rotate）")
    cipher = ring.ciphers.get(kid)
    if cipher is None:
        raise DecryptionError(f"个人信息密文使用的密钥「{kid}」未配置（JIANGUAN_DATA_KEYS 中缺少该密钥）")
    try:
        raw = base64.urlsafe_b64decode(body.encode())
        return cipher.decrypt(raw[:NONCE_BYTES], raw[NONCE_BYTES:], None).decode()
    except (InvalidTag, ValueError):
        raise DecryptionError(f"个人信息密文无法用密钥「{kid}」解密（密钥错误或密文被改动）") from None


# --- Binary values (issued documents, #14) ------------------------------------------------------------------------
# A stored file reads ``v1:<kid>:`` followed by the raw nonce ‖ ciphertext ‖ tag (no base64: the column is binary and
# the files are large). A .docx begins ``PK``, a PDF ``%PDF``: neither can be mistaken for the prefix.

_BYTES_PREFIX = PREFIX.encode() + b":"


def encrypt_bytes(value: bytes | memoryview | None, ring: Keyring | None = None) -> bytes | None:
    """The stored form of a file under the current key. ``None`` and ``b""`` are stored as they are."""
    if value is None:
        return None
    value = bytes(value)
    if not value:
        return value
    ring = ring or keyring()
    nonce = os.urandom(NONCE_BYTES)
    return (_BYTES_PREFIX + ring.current.encode() + b":" + nonce
            + ring.ciphers[ring.current].encrypt(nonce, value, None))


def key_id_bytes(stored: bytes | memoryview | None) -> str | None:
    """The key id a stored file was written with (``None`` for an empty value or one not in the stored format)."""
    if not stored:
        return None
    head = bytes(stored[:3 + 17 + 1])
    if not head.startswith(_BYTES_PREFIX):
        return None
    kid, sep, _rest = head[len(_BYTES_PREFIX):].partition(b":")
    try:
        text = kid.decode("ascii")
    except UnicodeDecodeError:
        return None
    return text if sep and _KID.match(text) else None


def decrypt_bytes(stored: bytes | memoryview | None, ring: Keyring | None = None) -> bytes | None:
    """The plaintext of a stored file; ``DecryptionError`` as ``decrypt`` (a file in clear where ciphertext belongs,
    a key that is not configured, a wrong key or altered bytes)."""
    if stored is None:
        return None
    stored = bytes(stored)
    if not stored:
        return stored
    kid = key_id_bytes(stored)
    if kid is None:
        raise DecryptionError("文件字段中不是密文（未加密的文件？请运行数据库迁移或 jianguan crypto rotate）")
    ring = ring or keyring()
    cipher = ring.ciphers.get(kid)
    if cipher is None:
        raise DecryptionError(f"文件密文使用的密钥「{kid}」未配置（JIANGUAN_DATA_KEYS 中缺少该密钥）")
    body = stored[len(_BYTES_PREFIX) + len(kid) + 1:]
    try:
        return cipher.decrypt(body[:NONCE_BYTES], body[NONCE_BYTES:], None)
    except (InvalidTag, ValueError):
        raise DecryptionError(f"文件密文无法用密钥「{kid}」解密（密钥错误或密文被改动）") from None


def normalise(value: str | None) -> str:
    """What a blind index hashes: no spaces or hyphens, upper case (an ID number's check letter ``x`` = ``X``)."""
    return re.sub(r"[\s\-]", "", value or "").upper()


def blind_index(value: str | None, *, key: bytes | None = None) -> str:
    """The keyed hash searched instead of the value ("" for an empty value, so blank rows never match each other)."""
    norm = normalise(value)
    if not norm:
        return ""
    return hmac.new(key or keyring().hash_key, norm.encode(), hashlib.sha256).hexdigest()


# --- Key rotation -----------------------------------------------------------------------------------------------


@dataclass
class RotationReport:
    model: str
    rows: int = 0
    reencrypted: int = 0
    rehashed: int = 0
    missing: int = 0  # uploaded files named by a row but not on disk (media rotation)


def encrypted_models():
    """[(model, [encrypted field names], {blind-index field: source field})] for every installed model; the
    encrypted fields are text (``EncryptedTextField``) or files (``EncryptedBinaryField``)."""
    from django.apps import apps

    from .fields import BlindIndexField, EncryptedBinaryField, EncryptedTextField

    found = []
    for model in apps.get_models():
        fields = [f.name for f in model._meta.concrete_fields
                  if isinstance(f, EncryptedTextField | EncryptedBinaryField)]
        if fields:
            hashes = {f.name: f.source for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)}
            found.append((model, fields, hashes))
    return sorted(found, key=lambda item: item[0]._meta.label)


def write_rows(model, names: list[str], rows: list[list]) -> None:
    """``UPDATE … SET <names> = … WHERE pk = …`` for each row (stored values first, the primary key last), one
    ``executemany`` in its own transaction. Values are written as given (already encrypted): a bulk path that avoids
    ``bulk_update``'s ``CASE WHEN`` statement, whose cost grows with the square of the batch on SQLite."""
    from django.db import connections, router, transaction

    alias = router.db_for_write(model)
    connection = connections[alias]
    quote = connection.ops.quote_name
    opts = model._meta
    assignments = ", ".join(f"{quote(opts.get_field(name).column)} = %s" for name in names)
    sql = f"UPDATE {quote(opts.db_table)} SET {assignments} WHERE {quote(opts.pk.column)} = %s"
    with transaction.atomic(using=alias), connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def rotate(*, batch: int = 1000, rehash_from: bytes | None = None, actor="crypto-rotate", progress=None):
    """Re-encrypt every personal value not written with the current key, and recompute every blind index that does
    not match the current hash key. Rows are read by primary key in batches, each batch written in its own
    transaction (``write_rows``: one ``executemany``), so an interrupted run is simply run again: rows already
    under the current key and hash key are skipped. With ``rehash_from`` (the previous hash key), a stored hash that matches neither the
    old nor the new key stops the run (the row was altered, or the wrong old key was given). One audit entry per
    model (``core.crypto.rotated``)."""
    from django.db import transaction
    from django.db.models import BinaryField, TextField
    from django.db.models.functions import Cast

    from . import audit
    from .fields import EncryptedBinaryField

    ring = keyring()
    reports = []
    for model, fields, hashes in encrypted_models():
        report = RotationReport(model=model._meta.label)
        manager = model._base_manager
        raw_names = {name: f"_raw_{name}" for name in fields}
        files = {name for name in fields if isinstance(model._meta.get_field(name), EncryptedBinaryField)}
        # Cast to the plain type: the raw stored value, without the field's decrypting converter
        raw_reads = {alias: Cast(name, BinaryField() if name in files else TextField())
                     for name, alias in raw_names.items()}
        opener = {name: (decrypt_bytes, key_id_bytes, encrypt_bytes) if name in files else (decrypt, key_id, encrypt)
                  for name in fields}
        size = min(batch, 50) if files else batch  # files: a batch of issued documents is megabytes, not kilobytes
        last = None
        while True:
            qs = manager.order_by("pk")
            if last is not None:
                qs = qs.filter(pk__gt=last)
            rows = list(qs.annotate(**raw_reads).values("pk", *raw_names.values(), *hashes)[:size])
            if not rows:
                break
            last = rows[-1]["pk"]
            report.rows += len(rows)
            changed = []
            for row in rows:
                plain = {name: opener[name][0](row[alias], ring) for name, alias in raw_names.items()}
                stale = any(row[alias] and opener[name][1](row[alias]) != ring.current
                            for name, alias in raw_names.items())
                new_hashes = {}
                for name, source in hashes.items():
                    wanted = blind_index(plain[source], key=ring.hash_key)
                    if row[name] != wanted:
                        if rehash_from is not None and row[name] != blind_index(plain[source], key=rehash_from):
                            raise DecryptionError(
                                f"{model._meta.label} #{row['pk']} 的 {name} 既不是旧盲索引密钥也不是新密钥算出的值"
                                "（数据被改动，或 --rehash-from 给错了密钥）；已处理的批次已写入，可修正后重跑")
                        new_hashes[name] = wanted
                if stale or new_hashes:
                    changed.append([*(opener[name][2](plain[name], ring) for name in fields),
                                    *(new_hashes.get(name, row[name]) for name in hashes), row["pk"]])
                    report.reencrypted += stale
                    report.rehashed += bool(new_hashes)
            if changed:
                write_rows(model, [*fields, *hashes], changed)
            if progress:
                progress(report)
        with transaction.atomic():
            audit.record(actor=actor, action="core.crypto.rotated", object_type="model",
                         object_id=model._meta.label_lower, object_repr=f"个人信息密钥轮换：{model._meta.verbose_name}",
                         changes={"key": [None, ring.current], "rows": [None, report.rows],
                                  "reencrypted": [None, report.reencrypted], "rehashed": [None, report.rehashed]})
        reports.append(report)
    reports.extend(_rotate_media(ring, actor, progress))
    reports.append(_rehash_phone_logins(ring, rehash_from, actor))
    return reports


def _rotate_media(ring: Keyring, actor, progress) -> list[RotationReport]:
    """Re-encrypt the files kept in the encrypting media storage (``core.storage``: the uploads of its
    ``FileField``s and the files named by its ``EncryptedMediaPathField``s, the monitoring captures): one report and
    one audit entry per model (``object_id`` ``<app>.<model>.files``), ``rows`` counting files."""
    from django.db import transaction

    from . import audit
    from .storage import encrypted_file_fields, rotate_media

    reports = []
    for model, fields in encrypted_file_fields():
        report = RotationReport(model=f"{model._meta.label}（文件：{'、'.join(fields)}）")
        rotate_media(model, fields, report, ring, progress)
        with transaction.atomic():
            audit.record(actor=actor, action="core.crypto.rotated", object_type="model",
                         object_id=f"{model._meta.label_lower}.files",
                         object_repr=f"个人信息密钥轮换：{model._meta.verbose_name}的文件",
                         changes={"key": [None, ring.current], "rows": [None, report.rows],
                                  "reencrypted": [None, report.reencrypted], "rehashed": [None, 0],
                                  "missing": [None, report.missing]})
        reports.append(report)
    return reports


def _rehash_phone_logins(ring: Keyring, rehash_from: bytes | None, actor) -> RotationReport:
    """Re-derive the login names that are a phone's keyed hash (``security.phone_login_name``: person accounts)
    under the current hash key, from the account's phone (``PublicProfile.phone``), so that the person still logs in
    with the number after the hash key changed. With ``rehash_from``, a login name made by neither key stops the run
    like a blind index would."""
    from django.contrib.auth import get_user_model
    from django.db import transaction

    from . import audit
    from .models import PublicProfile
    from .security import PHONE_LOGIN_PREFIX, phone_login_name

    User = get_user_model()
    report = RotationReport(model=User._meta.label)
    profiles = (PublicProfile.objects.filter(user__username__startswith=PHONE_LOGIN_PREFIX)
                .select_related("user").order_by("pk"))
    for profile in profiles.iterator(chunk_size=1000):
        report.rows += 1
        user, phone = profile.user, profile.phone
        wanted = phone_login_name(phone, key=ring.hash_key) if phone else user.username
        if user.username == wanted:
            continue
        if rehash_from is not None and user.username != phone_login_name(phone, key=rehash_from):
            raise DecryptionError(f"账号 #{user.pk} 的登录名既不是旧盲索引密钥也不是新密钥由其手机号算出的值"
                                  "（数据被改动，或 --rehash-from 给错了密钥）；已处理的批次已写入，可修正后重跑")
        User._base_manager.filter(pk=user.pk).update(username=wanted)
        report.rehashed += 1
    with transaction.atomic():
        audit.record(actor=actor, action="core.crypto.rotated", object_type="model",
                     object_id=User._meta.label_lower, object_repr="个人信息密钥轮换：以手机号登录的账号的登录名",
                     changes={"key": [None, ring.current], "rows": [None, report.rows],
                              "reencrypted": [None, 0], "rehashed": [None, report.rehashed]})
    return report
