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
