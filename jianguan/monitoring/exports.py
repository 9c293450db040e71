"""Excel workbooks of the monitoring statistics (openpyxl): what a campaign or a quarterly report sends up."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font


def _save(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _title(ws, text: str, width: int) -> None:
    ws.append([text])
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=max(width, 1))
    ws["A1"].font = Font(bold=True, size=14)
    ws["A1"].alignment = Alignment(horizontal="center")


def ad_statistics_xlsx(stats) -> bytes:
    """Sheet 1: ads and violations by medium × category; sheet 2: violations by article."""
    wb = Workbook()
    ws = wb.active
    ws.title = "按媒介和类别"
    width = 1 + 2 * len(stats.categories) + 2
    _title(ws, f"{stats.year} 年广告监测统计表（监测条数 / 涉嫌违法条数）", width)
    header = ["媒介"]
    for _, label in stats.categories:
        header += [f"{label}监测", f"{label}违法"]
    header += ["合计监测", "合计违法"]
    ws.append(header)
    for label, cells, total in stats.rows():
        row = [label]
        for cell in cells:
            row += [cell.ads, cell.violations]
        ws.append(row + [total.ads, total.violations])
    last = ["合计"]
    for code, _ in stats.categories:
        last += [stats.by_category[code].ads, stats.by_category[code].violations]
    ws.append(last + [stats.total.ads, stats.total.violations])
    ws.append([])
    rate = f"{stats.total.violations / stats.total.ads:.1%}" if stats.total.ads else "—"
    ws.append(["违法率", rate, "移交线索", stats.total.leads])
    ws.column_dimensions["A"].width = 12
    second = wb.create_sheet("按违反条款")
    _title(second, f"{stats.year} 年涉嫌违法广告按广告法条款", 3)
    second.append(["条款", "内容", "条数"])
    for article, n in stats.by_article:
        second.append([article.title, article.summary, n])
    second.column_dimensions["B"].width = 60
    return _save(wb)
