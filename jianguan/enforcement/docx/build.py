"""Build the Word templates of the enforcement documents from their layouts (``enforcement/doclayout.py``).

Run after changing a layout, then commit the .docx files with it::

    .venv/bin/python -m jianguan.enforcement.docx.build

The templates follow the look of the SAMR document formats (市场监督管理行政执法文书格式范本): A4, the issuing
authority and the document's name centred in 宋体, the number line under them, 仿宋 body with a two-character
first-line indent, bordered tables for the party block and approval forms, and the signature and seal place at the
bottom right. Placeholders are docxtpl (Jinja) tags, each kept in a single run so Word does not split them when
someone edits the text around them. Deterministic output: same layout, same bytes (fixed core properties and zip
timestamps), so a rebuild without a change leaves git clean.
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from jianguan.enforcement.doclayout import KINDS, Kind

HERE = Path(__file__).resolve().parent
BODY_FONT = "仿宋"  # FangSong: on every Chinese Windows/Office; LibreOffice substitutes a CJK serif
TITLE_FONT = "宋体"
LATIN_FONT = "Times New Roman"
FIXED_TIME = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def _font(run, east_asia: str, size: float, bold: bool = False) -> None:
    run.font.name = LATIN_FONT
    run.font.size = Pt(size)
    run.font.bold = bold
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)


def _para(container, text: str, *, size: float = 14, bold: bool = False, align=None, indent: bool = False,
          font: str = BODY_FONT, space_after: float = 0, line: float = 1.5):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent:
        fmt.first_line_indent = Pt(size * 2)
    fmt.space_after = Pt(space_after)
    fmt.space_before = Pt(0)
    fmt.line_spacing = line
    if text:
        _font(p.add_run(text), font, size, bold)
    return p


def _setup(doc) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    # GB/T 9704 margins: top 37 mm, bottom 35 mm, left 28 mm, right 26 mm
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    normal = doc.styles["Normal"]
    normal.font.name = LATIN_FONT
    normal.font.size = Pt(14)
    normal.element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), BODY_FONT)
    core = doc.core_properties
    core.author = core.last_modified_by = "Jianguan"
    core.title = core.subject = core.comments = core.keywords = ""
    core.created = core.modified = FIXED_TIME.replace(tzinfo=None)
    core.revision = 1


def _fields(doc, rows) -> None:
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for label, value in rows:
        cells = table.add_row().cells
        cells[0].width, cells[1].width = Cm(4.2), Cm(11.4)
        for cell, text, bold in ((cells[0], label, True), (cells[1], value, False)):
            p = cell.paragraphs[0]
            p.paragraph_format.line_spacing = 1.3
            _font(p.add_run(text), BODY_FONT, 12, bold)
    _para(doc, "", size=6)


def build_kind(kind: Kind) -> bytes:
    doc = Document()
    _setup(doc)
    for block in kind.layout:
        tag = block[0]
        if tag == "authority":
            _para(doc, "{{ authority }}", size=18, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT)
        elif tag == "title":
            _para(doc, kind.title, size=22, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=TITLE_FONT,
                  space_after=6)
        elif tag == "number":
            _para(doc, "{{ number }}", size=14, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
        elif tag == "fields":
            _fields(doc, block[1])
        elif tag == "p":
            _para(doc, block[1], indent=True)
        elif tag == "plain":
            _para(doc, block[1])
        elif tag == "lines":
            _para(doc, "{%p for line in " + block[1] + " %}")
            _para(doc, "{{ line }}", indent=True)
            _para(doc, "{%p endfor %}")
        elif tag == "sign":
            _para(doc, "", space_after=12)
            for text in block[1]:
                _para(doc, text, align=WD_ALIGN_PARAGRAPH.RIGHT, line=1.8)
        elif tag == "note":
            _para(doc, block[1], size=10.5, space_after=0)
        else:
            raise ValueError(f"{kind.code}: unknown block {tag!r}")
    raw = io.BytesIO()
    doc.save(raw)
    return _deterministic(raw.getvalue())


def _deterministic(data: bytes) -> bytes:
    """Rewrite the zip with fixed timestamps and member order, so rebuilding gives identical bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for name in src.namelist():
            info = zipfile.ZipInfo(name, date_time=(2026, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(name))
    return out.getvalue()


def template_path(code: str) -> Path:
    return HERE / f"{code}.docx"


def main(argv: list[str] | None = None) -> int:
    changed = 0
    for code, kind in KINDS.items():
        data = build_kind(kind)
        path = template_path(code)
        if not path.exists() or path.read_bytes() != data:
            path.write_bytes(data)
            changed += 1
            print(f"wrote {path.relative_to(HERE.parent.parent.parent)}")
    print(f"{len(KINDS)} templates, {changed} changed")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
