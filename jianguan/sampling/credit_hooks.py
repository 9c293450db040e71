"""Where sampling reaches credit and the public record: each published result is an event of the producer's
credit record (``credit.timeline``), public once its plan is published — the portal's stored record shows the
public events of every module (``other_events``) and is rebuilt when a sample is published (``portal.records``).
The event's category is the plan's sector (``sectors.py``), so food and epidemic-supply results are named as such."""

from __future__ import annotations

from django.db.models import Prefetch

from .models import Plan, Sample
from .sectors import SECTORS
from .selectors import DONE


def sector_label(code: str) -> str:
    """The public name of a sector's sampling (食品安全监督抽检, 防疫用品质量抽检, 产品质量监督抽查…): a food sample
    must not reach the producer's public record as 产品质量监督抽查."""
    sector = SECTORS.get(code)
    return sector.label if sector is not None else "监督抽查"


def timeline_events(entity, viewer):
    from jianguan.credit.timeline import Event
    from jianguan.credit.timeline import rows as timeline_rows

    for s in timeline_rows(entity, "samples", "credit_samples"):
        if s.status not in DONE:
            continue
        bad = s.status != Sample.Status.QUALIFIED
        detail = f"{s.product_name}（{s.batch_no or s.produced_on or ''}）：{'不合格' if bad else '合格'}；标准 {s.plan.standard.code}"
        yield Event(s.tested_on, sector_label(s.plan.sector), s.plan.title, detail, s.plan.status == Plan.Status.PUBLISHED,
                    "sampling", "danger" if bad else "success")


timeline_events.prefetch = [Prefetch("samples", Sample.objects.select_related("plan", "plan__standard")
                                     .defer("plan__manifest", "plan__bundle"), to_attr="credit_samples")]


def register() -> None:
    from jianguan.credit import timeline

    timeline.register(timeline_events)
