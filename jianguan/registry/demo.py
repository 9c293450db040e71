"""Registry demo data: a generated Pingdingshan of ``settings.JIANGUAN_DEMO_ENTITIES`` entities (20,000 by
default, a few hundred under the test suite), with licences and registration history.

Idempotent: the seeder counts what it has added (``seeding.seeded_count``), so running ``jianguan demo`` again
adds nothing, and raising the setting later only tops the registry up to the new figure. The later steps
(start-up, credit, inspections, complaints) draw their cases from these entities.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from jianguan.core.demo import step

from . import seeding

#: The seed of the demo's generator: the same demo on an empty database gives the same entities.
DEMO_SEED = 2026


def demo_entity_target() -> int:
    return max(int(getattr(settings, "JIANGUAN_DEMO_ENTITIES", 20_000)), 0)


@step(10, "市场主体")
def demo_registry(*, today: dt.date, stdout) -> dict:
    target = demo_entity_target()
    have = seeding.seeded_count()
    if have >= target:
        stdout.write(f"  已有演示市场主体 {have:,} 户，无需生成。")
        return {"entities": have, "added": 0}
    # A top-up uses a seed of its own so it does not replay the names of the first run.
    result = seeding.seed_entities(target - have, seed=DEMO_SEED + have, today=today, actor="demo")
    stdout.write("  " + result.summary())
    return {"entities": target, "added": result.entities}
