"""Excel import of catering grading inspections (餐饮服务量化分级) and of 明厨亮灶 / 示范店 reviews, on the registers'
import machinery (``core.registers.Sheet``): the first row names the columns, every row goes through the same
service as the workbench form (``grading_record``; ``designation_apply`` then ``designation_review``) in its own
savepoint, and one refused row anywhere writes nothing and lists every problem by row and column. A successful
import is audited once more as a whole (besides each record's own entry).

The columns follow the rules in force: one column per item of ``food.grading_checklist`` and one per criterion of
``food.designation_criteria`` (答 符合 or 不符合), so the template changes when a bureau changes its checklist."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from jianguan.core import audit
from jianguan.core.errors import ValidationFailed
from jianguan.core.registers import Column, ImportReport, Sheet, import_rows
from jianguan.core.rules import rule

from . import services
from .models import DesignationKind

ENTITY_NOTE = "18 位统一社会信用代码，须为已在市场主体名录中的餐饮服务提供者（行业 62 餐饮业）"
YES = ("符合", "是", "√", "✓", "Y", "y", "1", "True", "TRUE")
NO = ("不符合", "否", "×", "✗", "N", "n", "0", "False", "FALSE")


def conform(text: str) -> bool:
    """符合 → True, 不符合 → False (是/否, √/× accepted too)."""
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError("应填 符合 或 不符合")


def _actor_unit(actor):
    profile = getattr(actor, "profile", None)
    return getattr(profile, "unit", None)


# --- 量化分级检查 ----------------------------------------------------------------------------------------------------


def grading_sheet(on: dt.date) -> Sheet:
    """The grading import's columns under the checklist in force on ``on``."""
    checklist = rule("food.grading_checklist", on=on)
    items = tuple(Column(f"item_{i['code']}", i["label"], "ref", parse=conform,
                         note=f"符合 或 不符合；{i['weight']} 分{'，关键项（不符合的动态等级为一般）' if i.get('key') else ''}")
                  for i in checklist)
    return Sheet(
        title="餐饮服务食品安全量化分级检查",
        description="每行一次监督检查：按检查表逐项填写符合或不符合，系统计算得分和动态等级，并重新评定年度等级。"
                    "同一单位同一检查日期只能有一条记录。",
        columns=(Column("entity", "统一社会信用代码", "entity", note=ENTITY_NOTE),
                 Column("inspected_on", "检查日期", "date", note="不能晚于今天"),
                 *items,
                 Column("note", "检查意见", required=False, max_length=300)),
        create=_grade,
        example=("91410402MA44XXXX0X", f"{on:%Y-%m-%d}", *("符合" for _ in items), ""),
    )


def _grade(*, actor, entity, inspected_on: dt.date, note: str = "", **items):
    from .models import GradingInspection

    # a file imported twice, or the same inspection on two rows, is refused rather than graded twice
    if GradingInspection.objects.filter(entity=entity, inspected_on=inspected_on).exists():
        raise ValidationFailed(f"{entity.name} {inspected_on:%Y-%m-%d} 的量化分级检查已登记，不能重复导入",
                               field="inspected_on")
    answers = {name.removeprefix("item_"): value for name, value in items.items()}
    return services.grading_record(actor=actor, entity=entity, inspected_on=inspected_on, answers=answers, note=note)


def import_gradings(*, actor, data: bytes, today: dt.date | None = None) -> ImportReport:
    """Import a workbook of grading inspections: every row or none (``ImportRefused`` lists each problem)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        report = import_rows(grading_sheet(today), actor=actor, data=data)
        audit.record(actor=actor, action="food.grading.imported", object_type="food.gradinginspection",
                     object_repr=f"Excel 导入量化分级检查 {report.created} 次", unit=_actor_unit(actor),
                     changes={"rows": [None, report.created]})
    return report


# --- 明厨亮灶 / 示范店 ------------------------------------------------------------------------------------------------


def _criterion(kind: str, code: str) -> str:
    return f"c_{kind}_{code}"


def designation_sheet(on: dt.date) -> Sheet:
    """The designation import's columns under the criteria in force on ``on``: each kind's criteria, named with the
    kind (a row fills those of its own kind and leaves the other kind's empty)."""
    criteria = rule("food.designation_criteria", on=on)
    columns = []
    for kind, label in DesignationKind.choices:
        short = "示范店" if kind == DesignationKind.DEMO_SHOP else label
        columns += [Column(_criterion(kind, c["code"]), f"{short}：{c['label']}", "ref", required=False, parse=conform,
                           note=f"认定类别为{label}的必填：符合 或 不符合")
                    for c in criteria.get(kind, ())]
    example_kind = DesignationKind.BRIGHT_KITCHEN
    return Sheet(
        title="明厨亮灶和示范店评审",
        description="每行一次申报及其评审：逐项填写本类别的评审标准，全部符合的予以认定（有效期按规则计算），"
                    "否则不予认定并记明不符合的项目。",
        columns=(Column("entity", "统一社会信用代码", "entity", note=ENTITY_NOTE),
                 Column("kind", "认定类别", "choice", choices=tuple(DesignationKind.choices)),
                 Column("applied_on", "申报日期", "date"),
                 Column("reviewed_on", "评审日期", "date", note="不早于申报日期、不晚于今天；认定有效期自评审日期起算"),
                 *columns,
                 Column("note", "评审意见", required=False, max_length=300)),
        create=_designate,
        example=("91410402MA44XXXX0X", DesignationKind(example_kind).label, f"{on:%Y-%m-%d}", f"{on:%Y-%m-%d}",
                 *("符合" if c.name.startswith(f"c_{example_kind}_") else "" for c in columns), ""),
    )


def _designate(*, actor, entity, kind: str, applied_on: dt.date, reviewed_on: dt.date, note: str = "", **answers):
    today = timezone.localdate()
    if reviewed_on < applied_on:
        raise ValidationFailed(f"评审日期 {reviewed_on:%Y-%m-%d} 早于申报日期 {applied_on:%Y-%m-%d}",
                               field="reviewed_on")
    if reviewed_on > today:
        raise ValidationFailed("评审日期不能晚于今天", field="reviewed_on")
    criteria = rule("food.designation_criteria", on=reviewed_on)[kind]
    own = {_criterion(kind, c["code"]) for c in criteria}
    stray = [name for name, value in answers.items() if name not in own and value is not None]
    if stray:
        raise ValidationFailed(f"认定类别为{DesignationKind(kind).label}，不应填写其他类别的评审标准", field=stray[0])
    met = {c["code"]: answers.get(_criterion(kind, c["code"])) for c in criteria}
    for n, c in enumerate(criteria, 1):
        if met[c["code"]] is None:
            raise ValidationFailed(f"评审标准第 {n} 项「{c['label']}」未填写是否符合",
                                   field=_criterion(kind, c["code"]))
    if all(met.values()):
        years = int(rule("food.designation_validity_years", on=reviewed_on)[kind])
        until = services.add_years(reviewed_on, years) - dt.timedelta(days=1)
        if until < today:
            raise ValidationFailed(f"按评审日期计算的认定有效期至 {until:%Y-%m-%d}，已过期，不再导入",
                                   field="reviewed_on")
    designation = services.designation_apply(actor=actor, entity=entity, kind=kind, applied_on=applied_on)
    return services.designation_review(actor=actor, designation=designation, met=met, on=reviewed_on, note=note)


def import_designations(*, actor, data: bytes, today: dt.date | None = None) -> ImportReport:
    """Import a workbook of 明厨亮灶 / 示范店 applications with their reviews: every row or none."""
    today = today or timezone.localdate()
    with transaction.atomic():
        report = import_rows(designation_sheet(today), actor=actor, data=data)
        audit.record(actor=actor, action="food.designation.imported", object_type="food.designation",
                     object_repr=f"Excel 导入明厨亮灶和示范店评审 {report.created} 条", unit=_actor_unit(actor),
                     changes={"rows": [None, report.created]})
    return report
