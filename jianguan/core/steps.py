"""Progress steps (a stepper) for a record moving through its procedure: which steps are done, which one is under
way, which are still ahead, and where a procedure stopped (不予受理, 不予核准). Pure: each app says its steps and
where each of its states stands; the page includes ``core/_steps.html`` with ``steps``."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Step:
    label: str
    state: str  # done / current / todo / stopped
    note: str = ""

    @property
    def css(self) -> str:
        return f"step-{self.state}"


def progress(labels: list[str], at: int, *, stopped: str = "", note: str = "") -> list[Step]:
    """Steps ``labels`` with every step before ``at`` done and step ``at`` under way (``at == len(labels)``: all
    done). ``stopped``: the procedure ended at step ``at`` with that outcome (the steps after it are not taken)."""
    out = []
    for i, label in enumerate(labels):
        if i < at:
            out.append(Step(label, "done"))
        elif i == at:
            out.append(Step(stopped, "stopped") if stopped else Step(label, "current", note))
        elif not stopped:
            out.append(Step(label, "todo"))
    return out
