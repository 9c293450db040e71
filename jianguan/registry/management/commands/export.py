"""``jianguan export entities [--format xlsx|csv] [--output FILE] [filters]``: the file imports back unchanged."""

from __future__ import annotations

import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianguan.registry import importexport, selectors
from jianguan.registry.models import Entity

from ._common import actor_from


class Command(BaseCommand):
    help = ("导出市场主体为 CSV 或 Excel（.xlsx），列与导入模板相同，导出的文件可原样导入。"
            "不指定 --output 时 CSV 写到标准输出。每次导出都写入审计日志。")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["entities"], help="导出的数据：entities（市场主体）")
        parser.add_argument("--format", choices=importexport.FORMATS,
                            help="csv 或 xlsx；默认按 --output 的扩展名，否则 csv")
        parser.add_argument("--output", "-o", metavar="FILE", help="输出文件（默认标准输出，仅限 CSV）")
        parser.add_argument("--unit", help="监管单位代码（含下级单位），如 410402 或 41040201")
        parser.add_argument("--status", help="登记状态，如 存续 / 吊销 / 注销 / active")
        parser.add_argument("--kind", help="主体类型，如 有限责任公司 / 个体工商户 / llc")
        parser.add_argument("--industry", help="行业门类字母或大类代码，如 H 或 62")
        parser.add_argument("--division", help="行政区划代码，如 410402")
        parser.add_argument("--no-personal", action="store_true", help="不导出证件号码和联系电话")
        parser.add_argument("--actor", metavar="USERNAME", help="以该工作人员的数据范围导出（写入审计日志）")

    def handle(self, *args, what, format=None, output=None, no_personal=False, actor=None, verbosity=1, **opts):
        fmt = format or ("xlsx" if output and output.lower().endswith(".xlsx") else "csv")
        if fmt == "xlsx" and not output:
            raise CommandError("导出 Excel 需要用 --output 指定文件", returncode=2)
        user = actor_from(actor)
        qs = selectors.entities_for(user) if user is not None else Entity.objects.all()
        filters = {k: opts.get(k) for k in ("unit", "status", "kind", "industry", "division")}
        try:
            qs = importexport.filter_entities(qs, **filters)
        except ValueError as exc:
            raise CommandError(str(exc), returncode=2) from None
        include_personal = not no_personal
        if output:
            target = Path(output)
            if target.parent and not target.parent.exists():
                raise CommandError(f"目录「{target.parent}」不存在", returncode=2)
            count = importexport.export_entities(qs, target, fmt, include_personal=include_personal)
        else:
            count = importexport.export_entities(qs, sys.stdout.buffer if self.stdout._out is sys.stdout
                                                 else _TextSink(self.stdout), fmt, include_personal=include_personal)
        importexport.record_export(actor=user or "cli", count=count, fmt=fmt, filters=filters,
                                   include_personal=include_personal)
        if output and verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(f"已导出 {count:,} 户市场主体到 {output}。"))


class _TextSink:
    """Bytes written to a command's (text) stdout, for call_command(stdout=StringIO()) in tests and scripts."""

    def __init__(self, out):
        self.out = out

    def write(self, data: bytes) -> int:
        self.out.write(data.decode("utf-8-sig"), ending="")
        return len(data)
