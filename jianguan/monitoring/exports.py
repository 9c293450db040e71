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


def fee_report_xlsx(campaign, rows, total, findings) -> bytes:
    """The campaign's report sent up: sheet 1 figures per kind of body, sheet 2 every finding with its refund."""
    from . import fees

    wb = Workbook()
    ws = wb.active
    ws.title = "统计表"
    header = ["检查对象类型", "检查单位数", "发现问题单位数", "问题数", "涉及企业（家）", "违规收费金额（元）",
              "责令清退金额（元）", "已清退金额（元）", "未清退金额（元）"]
    _title(ws, f"{campaign.title}统计表", len(header))
    ws.append([f"报送截止日期：{campaign.report_due:%Y-%m-%d}"])
    ws.append(header)
    for row in [*rows, total]:
        ws.append([row.label, row.checks, row.with_problems, row.findings, row.payers, float(row.amount),
                   float(row.ordered), float(row.refunded), float(row.outstanding)])
    for r in ws.iter_rows(min_row=4, min_col=6, max_col=9):
        for cell in r:
            cell.number_format = "#,##0.00"
    ws.column_dimensions["A"].width = 20
    second = wb.create_sheet("问题清单")
    second.append(["被检查单位", "对象类型", "检查项目", "问题描述", "违规收费金额（元）", "涉及企业（家）",
                   "责令清退金额（元）", "责令清退日期", "已清退金额（元）", "执法线索"])
    for f in findings:
        spec = fees.KINDS.get(f.fee_check.kind)
        item = spec.item(f.item) if spec else None
        second.append([f.fee_check.body_name, spec.label if spec else f.fee_check.kind, item.text if item else f.item,
                       f.description, float(f.amount), f.payers, float(f.refund_ordered),
                       f.ordered_on.isoformat() if f.ordered_on else "", float(f.refunded),
                       f"#{f.lead_id}" if f.lead_id else ""])
    second.column_dimensions["A"].width = 24
    second.column_dimensions["C"].width = 36
    second.column_dimensions["D"].width = 36
    return _save(wb)


def counterfeit_xlsx(ctx) -> bytes:
    """A counterfeit campaign: its figures, the records it links, and every lot of goods seized and destroyed."""
    campaign, f = ctx["campaign"], ctx["figures"]
    wb = Workbook()
    ws = wb.active
    ws.title = "行动概况"
    _title(ws, campaign.title, 4)
    for label, value in (("产品类别", campaign.product_line), ("市场或区域", campaign.market or "—"),
                         ("开始日期", campaign.started_on.isoformat()),
                         ("关联检查任务", f.tasks), ("关联不合格样品", f.samples), ("关联案件", f.cases),
                         ("查扣物品（批）", f.goods), ("查扣货值（元）", float(f.value)),
                         ("已销毁（批）", f.destroyed), ("已销毁货值（元）", float(f.destroyed_value))):
        ws.append([label, value])
    ws.column_dimensions["A"].width = 18
    links = wb.create_sheet("关联记录")
    links.append(["类型", "编号", "当事人/被检查单位"])
    for t in ctx["tasks"]:
        links.append(["检查任务", f"#{t.pk}", t.entity.name])
    for s in ctx["samples"]:
        links.append(["不合格样品", s.number, s.entity.name])
    for c in ctx["cases"]:
        links.append(["案件", c.number, c.entity.name if c.entity else c.party_name])
    goods = wb.create_sheet("查扣与销毁")
    goods.append(["物品名称", "数量", "单位", "货值金额（元）", "查扣日期", "所属案件", "销毁日期", "销毁方式和地点",
                  "监销人员"])
    for g in ctx["goods"]:
        goods.append([g.description, float(g.quantity), g.measure, float(g.value), g.seized_on.isoformat(),
                      g.case.number if g.case else "", g.destroyed_on.isoformat() if g.destroyed_on else "",
                      g.destroyed_how, g.witnesses])
    return _save(wb)
