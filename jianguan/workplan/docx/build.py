"""Build the Word template of the progress report (重点工作推进情况通报) — run after changing the layout, then commit
the .docx with it::

    .venv/bin/python -m jianguan.workplan.docx.build

Same conventions as the enforcement documents (``enforcement/docx/build.py``): A4 with GB/T 9704 margins, 宋体
headings, 仿宋 body, docxtpl tags each in one run, deterministic bytes. The tables repeat their middle row per item
(``{%tr for %}``); the office edits the wording around the tags in Word and keeps the tags.
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from jianguan.enforcement.docx.build import BODY_FONT, TITLE_FONT, _deterministic, _font, _para, _setup

HERE = Path(__file__).resolve().parent
TEMPLATE = HERE / "progress_report.docx"


def _table(doc, headers: list[str], widths: list[float], loop: str, cells: list[str]) -> None:
    table = doc.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for i, h in enumerate(headers):
        p = table.rows[0].cells[i].paragraphs[0]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(p.add_run(h), BODY_FONT, 10.5, True)
    _font(table.rows[1].cells[0].paragraphs[0].add_run("{%tr for r in " + loop + " %}"), BODY_FONT, 10.5)
    for i, c in enumerate(cells):
        _font(table.rows[2].cells[i].paragraphs[0].add_run(c), BODY_FONT, 10.5)
    _font(table.rows[3].cells[0].paragraphs[0].add_run("{%tr endfor %}"), BODY_FONT, 10.5)
    for row in table.rows:
        for cell, w in zip(row.cells, widths, strict=True):
            cell.width = Cm(w)


def build() -> bytes:
    doc = Document()
    _setup(doc)
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    _para(doc, "{{ authority }}", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
    _para(doc, "{{ title }}", size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT, space_after=6)
    _para(doc, "{{ number }}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    _para(doc, "{{ intro }}", indent=True)
    _para(doc, "一、总体进展", bold=True, font=TITLE_FONT)
    _para(doc, "{{ overall }}", indent=True)
    _para(doc, "{{ targets_text }}", indent=True, space_after=6)
    _table(doc, ["编号", "重点任务", "牵头单位", "进度", "量化指标（目标／完成）", "状态"],
           [1.2, 5.0, 2.6, 1.2, 4.0, 1.6], "tasks",
           ["{{ r.code }}", "{{ r.title }}", "{{ r.unit }}", "{{ r.progress }}%", "{{ r.targets }}", "{{ r.status }}"])
    _para(doc, "二、逾期未完成事项", bold=True, font=TITLE_FONT)
    _para(doc, "{{ late_text }}", indent=True, space_after=6)
    _table(doc, ["编号", "任务节点", "牵头单位", "时限", "逾期（日）"], [1.2, 7.4, 3.0, 2.2, 1.8], "late",
           ["{{ r.code }}", "{{ r.title }}", "{{ r.unit }}", "{{ r.due }}", "{{ r.days }}"])
    _para(doc, "三、本期报送情况", bold=True, font=TITLE_FONT)
    _para(doc, "{{ reports_text }}", indent=True)
    _para(doc, "{%p for r in reports %}")
    _para(doc, "{{ r.line }}", indent=True)
    _para(doc, "{%p endfor %}")
    _para(doc, "四、下步要求", bold=True, font=TITLE_FONT)
    _para(doc, "{{ closing }}", indent=True)
    _para(doc, "", space_after=12)
    _para(doc, "{{ signer }}", align=WD_ALIGN_PARAGRAPH.RIGHT, line=1.8)
    _para(doc, "{{ date }}", align=WD_ALIGN_PARAGRAPH.RIGHT, line=1.8)
    _para(doc, "{{ footnote }}", size=10.5)
    for p in doc.paragraphs:
        p.paragraph_format.space_before = Pt(0)
    raw = io.BytesIO()
    doc.save(raw)
    return _deterministic(raw.getvalue())


def main() -> int:
    data = build()
    if TEMPLATE.exists() and TEMPLATE.read_bytes() == data:
        print(f"{TEMPLATE.name}: unchanged")
        return 0
    TEMPLATE.write_bytes(data)
    print(f"{TEMPLATE.name}: written ({len(data)} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
