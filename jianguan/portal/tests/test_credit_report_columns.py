"""The credit report PDF's tables keep to the page and to their columns: each table of several columns has fixed
column widths that add up to the page, dates and statuses stay on one line however long their neighbours (a licence
of a long kind from a long-named issuer squeezed 状态 to one character a line), and no table runs past the right
margin. Checked on WeasyPrint's layout of the report, not on the PDF's pixels."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory

from jianguan.portal import views

pytestmark = pytest.mark.django_db


def _layout(rec):
    from weasyprint import HTML

    html = views.entity_report_html(RequestFactory().get("/"), rec)
    return html, HTML(string=html).render()


def _classes(box) -> set[str]:
    return set(((box.element.get("class") if box.element is not None else None) or "").split())


def test_dates_and_statuses_stay_on_one_line_and_tables_on_the_page(world):
    from weasyprint.formatting_structure import boxes

    rec = views._record(world["company"].uscc)
    lic = rec["licences"][0]
    rec["licences"] = [lic, {**lic, "kind": "食品生产许可证（含保健食品、特殊医学用途配方食品、婴幼儿配方食品）",
                             "number": "SC106410402001234567890123", "status": "已注销", "valid_until": "2026-12-31",
                             "issuer": "平顶山市市场监督管理局高新技术产业开发区分局（行政审批服务科）"}]
    rec["other_events"] = [{"on": "2026-03-01", "category": "行政处罚", "title": "平顶山市市场监督管理局行政处罚决定书"
                            "（平市监罚〔2026〕12号）" * 3, "detail": ""}]
    html, doc = _layout(rec)
    for colgroup in re.findall(r"<colgroup>(.*?)</colgroup>", html):
        assert sum(int(p) for p in re.findall(r'class="p(\d+)"', colgroup)) == 100, colgroup
    checked = {"nw": 0, "tables": 0}
    for page in doc.pages:
        box = page._page_box
        right = box.content_box_x() + box.width
        for b in box.descendants():
            if isinstance(b, boxes.TableBox) and "cols" in _classes(b):
                assert b.position_x + b.margin_width() <= right + 0.5, "a table runs past the right margin"
                checked["tables"] += 1
            if isinstance(b, boxes.TableCellBox) and "nw" in _classes(b):
                lines = [x for x in b.descendants() if isinstance(x, boxes.LineBox)]
                text = "".join(x.text for x in b.descendants() if isinstance(x, boxes.TextBox))
                assert len(lines) == 1, f"「{text}」 wraps onto {len(lines)} lines"
                checked["nw"] += 1
    # the licence table (two rows: dates and status), the list entry, the inspection and the penalty were all seen
    assert checked["tables"] >= 3 and checked["nw"] >= 10, checked
    assert "已注销" in html
