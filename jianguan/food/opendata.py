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


RECALL_COLUMNS = ("number", "uscc", "name", "product", "batch_no", "problem", "source", "recall_level",
                  "recall_announced_on", "recall_completed_on", "status", "conclusion", "closed_on")


def recall_rows(today: dt.date) -> Iterator[tuple]:
    """Announced recalls and closed 核查处置 — what the portal's page shows (never the complainant)."""
    from .selectors import public_disposals

    for d in public_disposals().order_by("id").iterator(chunk_size=2000):
        yield (d.number, d.entity.uscc, d.entity.name, d.product, d.batch_no, d.problem, d.get_source_display(),
               d.get_recall_level_display(), d.recall_announced_on.isoformat() if d.recall_announced_on else "",
               d.recall_completed_on.isoformat() if d.recall_completed_on else "", d.get_status_display(),
               d.conclusion if d.closed_on else "", d.closed_on.isoformat() if d.closed_on else "")


def register() -> None:
    from jianguan.portal.opendata import DATASETS, Dataset

    if not any(d.name == "food_grades" for d in DATASETS):
        DATASETS.append(Dataset("food_grades", "餐饮服务食品安全量化等级",
                                "每户餐饮服务提供者最近一次动态等级和年度等级", GRADE_COLUMNS, grade_rows))
    if not any(d.name == "food_small_registrations" for d in DATASETS):
        DATASETS.append(Dataset("food_small_registrations", "食品三小登记",
                                "有效的食品小作坊登记证、小经营店和小摊点登记卡（不含经营者姓名）", SMALL_COLUMNS,
                                small_rows))
    if not any(d.name == "food_recalls" for d in DATASETS):
        DATASETS.append(Dataset("food_recalls", "食品召回和不合格食品核查处置",
                                "已发布的食品召回公告和已办结的核查处置结果（不含投诉举报人信息）", RECALL_COLUMNS,
                                recall_rows))
