"""Demo: instruments under compulsory verification at fuel stations, taxi companies, markets and clinics, with a
year of verifications (some overdue, some failed), and the fuel-station and market-scale campaigns. Bulk inserts;
idempotent (a second run finds the first demo instrument)."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from jianguan.core import audit
from jianguan.core.demo import step
from jianguan.core.models import OrgUnit
from jianguan.equipment.schedule import add_months
from jianguan.registry.models import Entity, EntityStatus

from .models import Campaign, Instrument, Verification
from .rules import KINDS

COUNT = 1200
MONTHS = {"fuel_dispenser": 6, "taxi_meter": 12, "trade_scale": 12, "platform_scale": 12, "bp_meter": 12,
          "gas_meter": 72}


@step(58, "计量器具")
def demo_metrology(*, today: dt.date, stdout) -> dict:
    if Instrument.objects.filter(serial="JL000001").exists():
        return {"instruments": Instrument.objects.count()}
    owners = list(Entity.objects.filter(status=EntityStatus.ACTIVE).order_by("id").values("id", "unit_id", "address")[:600])
    if not owners:
        return {"instruments": 0}
    rnd = random.Random(41)
    kinds = list(KINDS)
    with transaction.atomic():
        rows, plan = [], []
        for i in range(1, COUNT + 1):
            o = owners[rnd.randrange(len(owners))]
            # one in three a market scale, the rest every kind in turn (``kinds[i % 6]`` skipped the fuel dispensers
            # and truck scales, leaving the demo's 加油站 campaign with nothing to count)
            kind = kinds[(i // 3) % len(kinds)] if i % 3 else "trade_scale"
            commissioned = today - dt.timedelta(days=rnd.randint(200, 3000))
            months = MONTHS[kind]
            roll = rnd.random()
            last = today - dt.timedelta(days=rnd.randint(1, months * 30 - 5))
            if roll < 0.07:
                last = today - dt.timedelta(days=months * 31 + rnd.randint(1, 120))
            failed = 0.07 <= roll < 0.09
            due = last if failed else add_months(last, months)
            rows.append(Instrument(serial=f"JL{i:06d}", kind=kind, owner_id=o["id"], unit_id=o["unit_id"],
                                   location=o["address"], commissioned_on=commissioned, last_verified_on=last,
                                   last_conclusion="failed" if failed else "passed", next_due=due))
            plan.append((f"JL{i:06d}", last, failed, due))
        Instrument.objects.bulk_create(rows, batch_size=1000)
        ids = dict(Instrument.objects.filter(serial__in=[r.serial for r in rows]).values_list("serial", "id"))
        Verification.objects.bulk_create([
            Verification(instrument_id=ids[s], verified_on=last, body="平顶山市计量测试所", certificate_no=f"JD{s}",
                         conclusion="failed" if failed else "passed", next_due=due) for s, last, failed, due in plan],
            batch_size=1000)
        unit = OrgUnit.objects.filter(code="410400JL").first() or OrgUnit.objects.get(code="410400")
        Campaign.objects.bulk_create([
            Campaign(title=f"{today.year}年加油站计量专项检查", kinds=["fuel_dispenser"], unit=unit,
                     starts_on=today - dt.timedelta(days=60), ends_on=today + dt.timedelta(days=30)),
            Campaign(title=f"{today.year}年集贸市场计量专项检查", kinds=["trade_scale", "platform_scale"], unit=unit,
                     starts_on=today - dt.timedelta(days=90), ends_on=today + dt.timedelta(days=60))])
        audit.record(actor="demo", action="metrology.demo.loaded", object_type="metrology.instrument",
                     object_repr=f"演示数据：{len(rows)} 台计量器具", changes={"instruments": [None, len(rows)]})
    stdout.write(f"  强制检定计量器具 {len(rows)} 台")
    return {"instruments": len(rows)}
