"""Catering quantified grading, pure (no Django): a checklist's answers → score → dynamic grade, and a year of
dynamic grades → the annual grade. The checklist and the thresholds come from the rules; ``services`` reads them
and stores the result."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal


class IncompleteChecklist(ValueError):
    """An item of the checklist has no answer (or an answer names no item): no grade is computed."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message, self.field = message, field


def score(checklist: list[dict], answers: dict[str, bool]) -> tuple[Decimal, bool, list[dict]]:
    """(score out of 100, whether a key item failed, the checklist with each answer) — refused when any item is
    unanswered or an answer is not yes/no, naming the item and its number."""
    codes = {item["code"] for item in checklist}
    for code in answers:
        if code not in codes:
            raise IncompleteChecklist(f"检查表中没有「{code}」这一项", field=f"item_{code}")
    total = sum(Decimal(str(item["weight"])) for item in checklist)
    got, key_failed, rows = Decimal(0), False, []
    for n, item in enumerate(checklist, 1):
        answer = answers.get(item["code"])
        if not isinstance(answer, bool):
            raise IncompleteChecklist(f"检查表不完整：第 {n} 项「{item['label']}」未填写是否符合，不能评定等级",
                                      field=f"item_{item['code']}")
        if answer:
            got += Decimal(str(item["weight"]))
        elif item.get("key"):
            key_failed = True
        rows.append({**item, "conform": answer})
    value = (got * 100 / total).quantize(Decimal("0.1"), ROUND_HALF_UP) if total else Decimal(0)
    return value, key_failed, rows


def dynamic_grade(value: Decimal, key_failed: bool, thresholds: dict) -> str:
    """优秀 / 良好 / 一般 by the thresholds; a failed key item makes it 一般 whatever the score."""
    if key_failed:
        return "fair"
    if value >= Decimal(str(thresholds["excellent"])):
        return "excellent"
    if value >= Decimal(str(thresholds["good"])):
        return "good"
    return "fair"


def annual_level(average: Decimal, fair_count: int, thresholds: dict) -> str:
    """A: average ≥ A and no 一般 in the year; B: average ≥ B; otherwise C."""
    if average >= Decimal(str(thresholds["A"])) and fair_count == 0:
        return "A"
    if average >= Decimal(str(thresholds["B"])):
        return "B"
    return "C"
