"""Open data of food supervision, added to the portal's dump: catering grades (each caterer's latest dynamic grade
and its annual grade) and the valid 三小 registrations (without the operator's name)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

GRADE_COLUMNS = ("uscc", "name", "latest_inspected_on", "latest_grade", "latest_grade_label", "latest_score",
                 "annual_level", "annual_average", "annual_inspections", "annual_as_of")
SMALL_COLUMNS = ("number", "kind", "kind_label", "name", "address", "category", "county", "issued_on",
                 "valid_until")


def grade_rows(today: dt.date) -> Iterator[tuple]:
    from . import selectors

    for g in selectors.latest_gradings().iterator(chunk_size=2000):
        a = selectors.annual_of(g)
        yield (g.entity.uscc, g.entity.name, g.inspected_on.isoformat(), g.grade, g.get_grade_display(),
               str(g.score), a.level if a else "", str(a.average) if a else "", a.inspections if a else "",
               a.as_of.isoformat() if a else "")


def small_rows(today: dt.date) -> Iterator[tuple]:
    from .selectors import public_smalls

    for r in public_smalls().order_by("id").iterator(chunk_size=2000):
        yield (r.number, r.kind, r.get_kind_display(), r.name, r.address, r.category, r.county.name,
               r.issued_on.isoformat(), r.valid_until.isoformat())


def register() -> None:
    from jianguan.portal.opendata import DATASETS, Dataset

    if not any(d.name == "food_grades" for d in DATASETS):
        DATASETS.append(Dataset("food_grades", "餐饮服务食品安全量化等级",
                                "每户餐饮服务提供者最近一次动态等级和年度等级", GRADE_COLUMNS, grade_rows))
    if not any(d.name == "food_small_registrations" for d in DATASETS):
        DATASETS.append(Dataset("food_small_registrations", "食品三小登记",
                                "有效的食品小作坊登记证、小经营店和小摊点登记卡（不含经营者姓名）", SMALL_COLUMNS,
                                small_rows))
