"""Demo: imported cold-chain food in Pingdingshan — a few hundred batches, each entering at an importer's first
station and moving through cold stores, wholesalers and restaurants; one batch recalled and traced with its tasks.
Set-based (bulk inserts, one audit entry); idempotent: a second run finds the first demo batch and does nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from jianguan.core import audit
from jianguan.core.demo import demo_password_hash, step
from jianguan.registry.models import Entity, EntityKind, EntityStatus

from . import services
from .models import Batch, Direction, Movement, Place, Reason, Task

MARKER = "CCPDS000001"
COUNT = 300
PRODUCTS = [("冷冻去骨牛肉", "巴西"), ("冷冻猪肉分割品", "西班牙"), ("冷冻带骨羊肉", "新西兰"), ("冷冻鸡爪", "阿根廷"),
            ("冷冻白虾", "厄瓜多尔"), ("冷冻三文鱼", "挪威"), ("冷冻鳕鱼", "俄罗斯"), ("冷冻牛腱", "澳大利亚")]


@step(62, "进口冷链食品追溯")
def demo_coldchain(*, today: dt.date, stdout) -> dict:
    if Batch.objects.filter(tracing_code=MARKER).exists():
        _holder_account(stdout)
        return {"batches": Batch.objects.count()}
    rnd = random.Random(18)
    firms = list(Entity.objects.filter(status=EntityStatus.ACTIVE).exclude(kind=EntityKind.INDIVIDUAL)
                 .order_by("id").values_list("id", "unit_id")[:400])
    if len(firms) < 20:
        return {"batches": 0}
    importers, stores, wholesalers, shops = firms[:8], firms[8:20], firms[20:80], firms[80:]
    user = get_user_model().objects.filter(username="sp_supervisor").first()
    with transaction.atomic():
        batches = []
        for n in range(1, COUNT + 1):
            product, country = rnd.choice(PRODUCTS)
            imp = rnd.choice(importers)
            entered = today - dt.timedelta(days=rnd.randint(1, 120))
            batches.append(Batch(
                tracing_code=f"CCPDS{n:06d}", product=product, origin_country=country,
                quantity=Decimal(rnd.choice([12000, 18000, 24000, 26000])), measure="kg", importer_id=imp[0],
                customs_declaration=f"4601{entered:%Y}{n:010d}", quarantine_certificate=f"41000{entered:%Y%m%d}{n:04d}",
                nucleic_acid_report=f"HS{entered:%Y%m%d}{n:04d}", disinfection_certificate=f"XD{entered:%Y%m%d}{n:04d}",
                entered_on=entered, unit_id=imp[1]))
        Batch.objects.bulk_create(batches)
        batches = list(Batch.objects.filter(tracing_code__startswith="CCPDS").order_by("tracing_code"))
        moves = []
        for batch in batches:
            imp = (batch.importer_id, batch.unit_id)
            day = batch.entered_on
            moves.append(Movement(batch=batch, holder_id=imp[0], direction=Direction.IN, quantity=batch.quantity,
                                  moved_on=day, note="入境首站入库", unit_id=imp[1]))
            store = rnd.choice(stores)
            q = batch.quantity
            moves += _transfer(batch, imp, store, q, day + dt.timedelta(days=1))
            for w in rnd.sample(wholesalers, 2):
                wq = (q / 2).quantize(Decimal("1"))
                moves += _transfer(batch, store, w, wq, day + dt.timedelta(days=3))
                for s in rnd.sample(shops, 3):
                    moves += _transfer(batch, w, s, Decimal(rnd.choice([200, 500, 800])), day + dt.timedelta(days=5))
        Movement.objects.bulk_create(moves, batch_size=2000)
        audit.record(actor=user or "demo", action="coldchain.demo.loaded", object_type="coldchain.batch",
                     object_repr=f"演示数据：{len(batches)} 个批次", changes={
                         "batches": [None, len(batches)], "movements": [None, len(moves)]})
    traced = 0
    if user is not None:
        recalled = batches[0]
        incident = services.trace_start(actor=user, batch=recalled, reason=Reason.RECALL, origin=recalled.importer,
                                        detected_on=today, note="海关通报：同批次外包装核酸检测阳性，全链条召回")
        traced = incident.holders.count()
    stdout.write(f"  进口冷链食品 {len(batches)} 批，出入库记录 {len(moves)} 条，召回追溯 {traced} 家持有单位")
    _holder_account(stdout)
    return {"batches": len(batches), "movements": len(moves)}


HOLDER_LOGIN = "ent_coldchain"


def _holder_account(stdout) -> None:
    """The enterprise account of the nearest downstream holder of the recalled batch that still holds some of it,
    which has already reported on sealing its stock: the holder's side of the loop (/coldchain/tasks/) is there to try. Idempotent."""
    from jianguan.core.models import PublicProfile

    task = (Task.objects.filter(holder__incident__batch__tracing_code=MARKER, holder__place=Place.DOWN,
                                holder__held__gt=0, kind="seal").select_related("holder__entity")
            .order_by("holder__hops", "holder_id").first())
    if task is None:
        return
    store = task.holder.entity
    User = get_user_model()
    user = User.objects.filter(username=HOLDER_LOGIN).first()
    if user is None:
        if PublicProfile.objects.filter(kind=PublicProfile.Kind.ENTERPRISE, entity=store).exists():
            return
        user = User(username=HOLDER_LOGIN, first_name=store.name[:150])
        user.password = demo_password_hash()
        user.save()
        PublicProfile.objects.create(user=user, kind=PublicProfile.Kind.ENTERPRISE, entity=store, phone=store.phone)
    if not task.reported_at and task.done_at is None:
        services.task_report(actor=user, task=task, report=f"在库 {task.holder.held:f} kg 已整体封存，张贴封存标识，停止销售")
    stdout.write(f"  冷链持有单位演示账号：{HOLDER_LOGIN}（{store.name}，门户「冷链食品追溯处置任务」）")


def _transfer(batch, src, dst, qty, day) -> list[Movement]:
    """The two records of one hand-over: out of ``src`` (recorded by it) and into ``dst`` (recorded by it)."""
    return [Movement(batch=batch, holder_id=src[0], direction=Direction.OUT, quantity=qty, moved_on=day,
                     counterparty_id=dst[0], unit_id=src[1]),
            Movement(batch=batch, holder_id=dst[0], direction=Direction.IN, quantity=qty, moved_on=day,
                     counterparty_id=src[0], unit_id=dst[1])]
