"""Open data of drug supervision, added to the portal's dump: the licensed pharmacies and device shops the portal's
/drugs/ page lists (name, code, district, licence and its validity — nothing personal). Their inspection results are
in the dump's inspection_results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

OUTLET_COLUMNS = ("uscc", "name", "kind", "kind_label", "division_name", "licence_kind", "licence_number",
                  "licence_valid_until")


def outlet_rows(today: dt.date) -> Iterator[tuple]:
    from .models import ObjectKind
    from .selectors import public_outlets

    rows = public_outlets(today).order_by("id").values_list(
        "entity__uscc", "entity__name", "kind", "entity__division__name", "licence__kind__name", "licence__number",
        "licence__valid_until")
    for uscc, name, kind, division, licence_kind, number, valid_until in rows.iterator(chunk_size=2000):
        yield (uscc, name, kind, ObjectKind(kind).label, division, licence_kind, number,
               valid_until.isoformat() if valid_until else "")


def register() -> None:
    from jianguan.portal.opendata import DATASETS, Dataset

    if not any(d.name == "drug_outlets" for d in DATASETS):
        DATASETS.append(Dataset("drug_outlets", "药品零售企业和医疗器械经营企业",
                                "持有有效许可证（备案凭证）且正常经营的药品零售企业、医疗器械经营企业（不含个人信息）",
                                OUTLET_COLUMNS, outlet_rows))
