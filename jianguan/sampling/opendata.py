"""The open data dataset of published sampling results (one row per sample), added to the portal's dump."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

COLUMNS = ("uscc", "name", "plan", "plan_title", "sector", "category", "product", "batch_no", "produced_on",
           "standard", "conclusion", "conclusion_label", "tested_on", "published_on")


def rows(today: dt.date) -> Iterator[tuple]:
    from .models import Sample
    from .selectors import public_samples

    qs = public_samples().order_by("id").values_list(
        "entity__uscc", "entity__name", "plan__code", "plan__title", "plan__sector", "plan__category__name",
        "product_name", "batch_no", "produced_on", "plan__standard__code", "status", "tested_on", "plan__published_on")
    for (code, name, plan, title, sector, category, product, batch, produced, standard, status, tested,
         published) in qs.iterator(chunk_size=2000):
        conclusion = "qualified" if status == Sample.Status.QUALIFIED else "unqualified"
        yield (code, name, plan, title, sector, category, product, batch, produced.isoformat() if produced else "",
               standard, conclusion, "合格" if conclusion == "qualified" else "不合格",
               tested.isoformat() if tested else "", published.isoformat() if published else "")


def register() -> None:
    from jianguan.portal.opendata import DATASETS, Dataset

    if not any(d.name == "sampling_results" for d in DATASETS):
        DATASETS.append(Dataset("sampling_results", "监督抽查结果", "已公布的产品质量监督抽查（抽检）结果，每个样品一行",
                                COLUMNS, rows))
