"""What encryption at rest of personal data (#14) costs the bulk paths, and what key rotation takes.

    python -m jianguan.testing.postgres -- .venv/bin/python bench/bench_crypto.py --entities 20000

1. ``seeding.seed_entities`` (the demo's registry step; ID number and phone encrypted per row) against the same seed
   with encryption switched off (``crypto.encrypt`` replaced by the identity): the overhead of encryption.
2. The registry import of an exported CSV of all N entities (every row's ID number and phone encrypted before
   ``COPY``/``executemany``), against the same import with encryption off.
3. ``crypto.rotate`` of all N entities to a new key (batches of 1,000, one ``executemany`` each) against a naive rotation
   (one ``save(update_fields=…)`` per entity) on a sample, extrapolated.
4. The primitive: AES-256-GCM encrypt + decrypt of an 11-digit phone, µs per value.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
os.environ.setdefault("JIANGUAN_TESTING", "1")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402

from jianguan.core import crypto  # noqa: E402
from jianguan.registry import importexport, seeding  # noqa: E402
from jianguan.registry.models import Entity  # noqa: E402

TODAY = dt.date(2026, 11, 20)


def empty_registry() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE registry_licence, registry_entitychange, registry_entity CASCADE")
        else:
            for table in ("registry_licence", "registry_entitychange", "registry_entity"):
                cursor.execute(f"DELETE FROM {table}")


class plaintext:
    """Encryption switched off (the baseline): the bulk writers' ``encrypt`` becomes the identity."""

    def __enter__(self):
        self.saved = crypto.encrypt, seeding.encrypt
        crypto.encrypt = seeding.encrypt = lambda value, ring=None: value

    def __exit__(self, *exc):
        crypto.encrypt, seeding.encrypt = self.saved


def timed(fn) -> float:
    started = time.monotonic()
    fn()
    return time.monotonic() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entities", type=int, default=20_000)
    parser.add_argument("--sample", type=int, default=500, help="entities of the naive rotation")
    args = parser.parse_args()
    n = args.entities
    call_command("migrate", verbosity=0)
    seeding.ensure_org()
    print(f"数据库：{connection.vendor}；{n:,} 户")

    # 1. seed
    empty_registry()
    with plaintext():
        base = timed(lambda: seeding.seed_entities(n, seed=1, today=TODAY))
    empty_registry()
    enc = timed(lambda: seeding.seed_entities(n, seed=1, today=TODAY))
    print(f"[seed] 加密 {enc:.1f} s（{n / enc:,.0f} 户/秒）；不加密 {base:.1f} s（{n / base:,.0f} 户/秒）；"
          f"加密的额外开销 {(enc / base - 1) * 100:+.0f} %")

    # 2. import of an exported CSV
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "entities.csv"
        importexport.export_entities(Entity.objects.all(), path, "csv")
        empty_registry()
        with plaintext():
            base = timed(lambda: importexport.import_entities(path))
        empty_registry()
        enc = timed(lambda: importexport.import_entities(path))
    assert Entity.objects.count() == n
    print(f"[import] 加密 {enc:.1f} s（{n / enc:,.0f} 行/秒）；不加密 {base:.1f} s（{n / base:,.0f} 行/秒）；"
          f"加密的额外开销 {(enc / base - 1) * 100:+.0f} %")

    # 3. rotation to a new key
    old_spec = crypto.environment()["JIANGUAN_DATA_KEYS"]
    settings.JIANGUAN_DATA_KEYS = f"bench:{crypto.new_key()},{old_spec}"
    sample = list(Entity.objects.order_by("id")[: args.sample])
    with transaction.atomic():
        started = time.monotonic()
        for entity in sample:
            entity.save(update_fields=["legal_rep_id_no", "phone"])
        per_naive = (time.monotonic() - started) / len(sample)
    rotated = timed(lambda: crypto.rotate(batch=1000, actor="bench"))
    print(f"[rotate] {n:,} 户换密钥 {rotated:.1f} s（{n / rotated:,.0f} 户/秒）；逐行 save() 推算 {per_naive * n:.1f} s"
          f"（{per_naive * 1000:.2f} ms/户）；倍数 {per_naive * n / rotated:.1f}×")

    # 4. the primitive
    ring = crypto.keyring()
    values = [f"138{i:08d}" for i in range(20_000)]
    started = time.monotonic()
    stored = crypto.encrypt_many(values, ring)
    back = [crypto.decrypt(v, ring) for v in stored]
    per = (time.monotonic() - started) / len(values)
    assert back == values
    print(f"[primitive] AES-256-GCM 加密＋解密一个手机号 {per * 1e6:.1f} µs")


if __name__ == "__main__":
    main()
