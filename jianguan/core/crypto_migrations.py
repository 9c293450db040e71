"""Data migrations that encrypt existing personal columns (#14) and, reversed, decrypt them.

Each app's migration pair: first the schema (the column becomes ``text``, the blind-index column is added), then
``encrypt_columns`` as a ``RunPython`` while the historical field is still plain text, then the state-only switch to
``EncryptedTextField``. Rows are read by primary key in batches and written with one ``executemany`` per batch (``crypto.write_rows``); a value already in the stored format is left as it is, so a migration that stopped half-way runs again.
"""

from __future__ import annotations

from jianguan.core import crypto

BATCH = 2000


def _walk(model, fields: list[str], batch: int):
    last = None
    while True:
        qs = model._base_manager.order_by("pk")
        if last is not None:
            qs = qs.filter(pk__gt=last)
        rows = list(qs.only("pk", *fields)[:batch])
        if not rows:
            return
        last = rows[-1].pk
        yield rows


def encrypt_columns(model, fields: list[str], hashes: dict[str, str] | None = None, batch: int = BATCH) -> int:
    """Encrypt ``fields`` of every row of the (historical, plain-text) ``model``; fill ``hashes`` ({hash field:
    source field}) from the plaintext. Returns the number of rows written."""
    hashes = hashes or {}
    ring = crypto.keyring()
    written = 0
    for rows in _walk(model, [*fields, *hashes.values()], batch):
        changed = []
        for row in rows:
            dirty = False
            for name, source in hashes.items():
                plain = getattr(row, source) or ""
                if crypto.key_id(plain) is None:  # still plaintext: hash it before it is encrypted
                    setattr(row, name, crypto.blind_index(plain))
                    dirty = True
            for name in fields:
                value = getattr(row, name)
                if value and crypto.key_id(value) is None:
                    setattr(row, name, crypto.encrypt(value, ring))
                    dirty = True
            if dirty:
                changed.append(row)
        if changed:
            names = [*fields, *hashes]
            crypto.write_rows(model, names, [[*(getattr(r, n) for n in names), r.pk] for r in changed])
            written += len(changed)
    return written


def decrypt_columns(model, fields: list[str], hashes: dict[str, str] | None = None, batch: int = BATCH) -> int:
    """The reverse: plaintext back into ``fields``, the blind indexes emptied."""
    hashes = hashes or {}
    ring = crypto.keyring()
    written = 0
    for rows in _walk(model, fields, batch):
        changed = []
        for row in rows:
            for name in fields:
                value = getattr(row, name)
                if crypto.key_id(value) is not None:
                    setattr(row, name, crypto.decrypt(value, ring))
            for name in hashes:
                setattr(row, name, "")
            changed.append(row)
        names = [*fields, *hashes]
        crypto.write_rows(model, names, [[*(getattr(r, n) for n in names), r.pk] for r in changed])
        written += len(changed)
    return written


def operation(app_label: str, model_name: str, fields: list[str], hashes: dict[str, str] | None = None):
    """A ``RunPython`` encrypting (forwards) and decrypting (backwards) the columns of one model."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        encrypt_columns(apps.get_model(app_label, model_name), fields, hashes)

    def backwards(apps, schema_editor):
        decrypt_columns(apps.get_model(app_label, model_name), fields, hashes)

    return migrations.RunPython(forwards, backwards, elidable=False)


# --- Files kept in the database: issued documents (enforcement 0014, equipment 0004) ---------------------------------

FILE_BATCH = 50  # an issued document's .docx and PDF are tens to hundreds of kilobytes each


def _walk_files(model, fields: list[str], batch: int, wanted):
    """Primary keys in batches, then the rows of a batch whose stored files need ``wanted(stored) → True``."""
    last = None
    while True:
        qs = model._base_manager.order_by("pk")
        if last is not None:
            qs = qs.filter(pk__gt=last)
        keys = list(qs.values_list("pk", flat=True)[:batch])
        if not keys:
            return
        last = keys[-1]
        yield [row for row in model._base_manager.filter(pk__in=keys).order_by("pk").values("pk", *fields)
               if any(wanted(row[name]) for name in fields)]


def encrypt_files(model, fields: list[str], batch: int = FILE_BATCH) -> int:
    """Encrypt the binary ``fields`` of every row of the (historical, plain ``BinaryField``) ``model``
    (``crypto.encrypt_bytes``); a file already in the stored format is left as it is. Returns the rows written."""
    ring = crypto.keyring()
    written = 0
    for rows in _walk_files(model, fields, batch, lambda v: bool(v) and crypto.key_id_bytes(v) is None):
        changed = [[*((crypto.encrypt_bytes(row[n], ring) if row[n] and crypto.key_id_bytes(row[n]) is None
                       else row[n] and bytes(row[n])) for n in fields), row["pk"]] for row in rows]
        if changed:
            crypto.write_rows(model, fields, changed)
            written += len(changed)
    return written


def decrypt_files(model, fields: list[str], batch: int = FILE_BATCH) -> int:
    """The reverse: the plaintext files back into ``fields``."""
    ring = crypto.keyring()
    written = 0
    for rows in _walk_files(model, fields, batch, lambda v: crypto.key_id_bytes(v) is not None):
        changed = [[*((crypto.decrypt_bytes(row[n], ring) if crypto.key_id_bytes(row[n]) is not None
                       else row[n] and bytes(row[n])) for n in fields), row["pk"]] for row in rows]
        if changed:
            crypto.write_rows(model, fields, changed)
            written += len(changed)
    return written


def model_operation(app_label: str, model_name: str, fields: list[str], forwards_fn, backwards_fn):
    """A ``RunPython`` calling ``forwards_fn(model, fields)`` forwards and ``backwards_fn(model, fields)`` backwards
    on the historical model ``app_label.model_name``."""
    from django.db import migrations

    def forwards(apps, schema_editor):
        forwards_fn(apps.get_model(app_label, model_name), fields)

    def backwards(apps, schema_editor):
        backwards_fn(apps.get_model(app_label, model_name), fields)

    return migrations.RunPython(forwards, backwards, elidable=False)


def file_operation(app_label: str, model_name: str, fields: list[str]):
    """A ``RunPython`` encrypting (forwards) and decrypting (backwards) the document bytes kept in the rows of one
    model."""
    return model_operation(app_label, model_name, fields, encrypt_files, decrypt_files)


# --- Login names that are phone numbers (core 0013) ------------------------------------------------------------------


def _compact_mobile(username: str) -> str | None:
    from jianguan.core.security import MOBILE_LOGIN_RE

    compact = "".join(ch for ch in username or "" if ch not in " -\t")
    return compact if MOBILE_LOGIN_RE.match(compact) else None


def hash_phone_logins(apps, batch: int = BATCH) -> int:
    """Replace every ``auth_user.username`` that is a mobile number (a person's portal account, made by the sign-up
    before #14 with the number as its login) by the number's keyed hash (``security.phone_login_name``), and move the
    lockout counters kept under the number to the same key. The login maps a typed number the same way, so every
    such account logs in as before. Returns the number of accounts changed."""
    from django.conf import settings

    from jianguan.core.security import phone_login_name

    User = apps.get_model(settings.AUTH_USER_MODEL)
    field = User.USERNAME_FIELD if hasattr(User, "USERNAME_FIELD") else "username"
    changed = 0
    last = None
    while True:
        qs = User._base_manager.order_by("pk").filter(**{f"{field}__regex": r"^[0-9 -]+$"})
        if last is not None:
            qs = qs.filter(pk__gt=last)
        rows = list(qs.values_list("pk", field)[:batch])
        if not rows:
            break
        last = rows[-1][0]
        for pk, username in rows:
            phone = _compact_mobile(username)
            if phone is None:
                continue
            wanted = phone_login_name(phone)
            if User._base_manager.filter(**{field: wanted}).exclude(pk=pk).exists():
                raise RuntimeError(f"账号 #{pk} 的登录名是手机号，但其盲索引登录名已被另一账号使用：请先处理重复账号")
            User._base_manager.filter(pk=pk).update(**{field: wanted})
            changed += 1
    Failure = apps.get_model("core", "LoginFailure")
    for row in list(Failure._base_manager.filter(username__regex=r"^[0-9 -]+$")):
        phone = _compact_mobile(row.username)
        if phone is None:
            continue
        key = phone_login_name(phone).lower()
        if Failure._base_manager.filter(username=key).exists():
            row.delete()
        else:
            Failure._base_manager.filter(pk=row.pk).update(username=key)
    return changed


def unhash_phone_logins(apps) -> int:
    """The reverse: a login name that is the keyed hash of its account's phone (the public account's, else the staff
    profile's) becomes the number again; the lockout counters under hashed names are dropped (a hash cannot be
    turned back into a number, and a counter only delays a login)."""
    from django.conf import settings

    from jianguan.core.security import PHONE_LOGIN_PREFIX, phone_login_name

    User = apps.get_model(settings.AUTH_USER_MODEL)
    PublicProfile = apps.get_model("core", "PublicProfile")
    StaffProfile = apps.get_model("core", "StaffProfile")
    changed = 0
    for pk, username in list(User._base_manager.filter(username__startswith=PHONE_LOGIN_PREFIX)
                             .values_list("pk", "username")):
        phones = [p.phone for p in PublicProfile._base_manager.filter(user_id=pk)]
        phones += [p.phone for p in StaffProfile._base_manager.filter(user_id=pk)]
        for phone in (_compact_mobile(p) for p in phones if p):
            if phone and phone_login_name(phone) == username:
                User._base_manager.filter(pk=pk).update(username=phone)
                changed += 1
                break
    apps.get_model("core", "LoginFailure")._base_manager.filter(
        username__startswith=PHONE_LOGIN_PREFIX.lower()).delete()
    return changed
