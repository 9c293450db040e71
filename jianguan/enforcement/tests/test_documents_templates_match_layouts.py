"""The committed Word templates are what ``docx/build.py`` makes of the layouts: edit a layout, rebuild, commit."""

from __future__ import annotations

import docx
import pytest

from jianguan.enforcement.doclayout import KINDS
from jianguan.enforcement.docx import build


@pytest.mark.parametrize("code", sorted(KINDS))
def test_committed_template_is_up_to_date(code):
    path = build.template_path(code)
    assert path.exists(), f"run python -m jianguan.enforcement.docx.build and commit {path.name}"
    assert path.read_bytes() == build.build_kind(KINDS[code]), (
        f"{path.name} differs from its layout: run python -m jianguan.enforcement.docx.build and commit it")


@pytest.mark.parametrize("code", sorted(KINDS))
def test_template_looks_like_an_official_document(code):
    d = docx.Document(str(build.template_path(code)))
    paragraphs = d.paragraphs
    title = next(p for p in paragraphs if p.text == KINDS[code].title)
    assert title.alignment == 1  # centred
    assert any(p.text == "{{ number }}" for p in paragraphs)
    assert any(p.text == "{{ authority }}" and p.alignment == 1 for p in paragraphs)
    section = d.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    text = "\n".join(p.text for p in paragraphs) + "".join(c.text for t in d.tables for r in t.rows for c in r.cells)
    assert "{{ party.name }}" in text
    if any(b[0] == "sign" for b in KINDS[code].layout):
        assert any(p.alignment == 2 and "issued_on" in p.text for p in paragraphs)  # date at the bottom right
    # the body is FangSong for Chinese text, as Word shows it
    rfonts = d.styles["Normal"].element.rPr.rFonts
    assert rfonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") == build.BODY_FONT
