import csv
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from jianguan.core import audit
from jianguan.core.models import AuditEntry


class Command(BaseCommand):
    help = (
        "审计日志：verify 校验哈希链（HMAC）及每日锚点，发现被改动或删除（含链尾被删）的记录时以非零状态退出；"
        "anchor 写入今日锚点；export 导出 CSV（含链值）供测评。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify", "anchor", "export"])
        parser.add_argument("--anchor", action="append", default=None, metavar="FILE",
                            help="verify：用此文件中的锚点校验（JSON Lines 锚点文件或开放数据 manifest.json），可多次给出；"
                                 "默认用 JIANGUAN_AUDIT_ANCHOR_FILE")
        parser.add_argument("--output", default="-", help="export：输出文件（默认标准输出）")

    def handle(self, *args, action, anchor, output, **opts):
        if action == "anchor":
            made = audit.make_anchor(timezone.localdate())
            self.stdout.write(json.dumps(made, ensure_ascii=False) if made else "今日锚点已存在或审计日志为空。")
            return
        if action == "export":
            out = sys.stdout if output == "-" else open(output, "w", newline="", encoding="utf-8")  # noqa: SIM115
            try:
                csv.writer(out).writerows(audit.export_rows(AuditEntry.objects.filter(seq__isnull=False)))
            finally:
                if out is not sys.stdout:
                    out.close()
            return
        anchors = None
        if anchor:
            anchors = []
            for path in anchor:
                anchors += _anchors_from(path)
        report = audit.verify_with_anchors(anchors)
        if not report.ok:
            raise CommandError(f"{report.problem}（此前 {report.checked} 条记录完好）")
        used = len(anchors) if anchors is not None else len(audit.read_anchors())
        self.stdout.write(self.style.SUCCESS(f"审计日志哈希链完整：已校验 {report.checked} 条记录，{used} 个锚点相符。"))


def _anchors_from(path: str) -> list[dict]:
    """Anchors from a JSON Lines anchor file or from an open-data manifest (its ``audit_anchor``)."""
    try:
        text = open(path, encoding="utf-8").read()
    except OSError as exc:
        raise CommandError(f"无法读取锚点文件 {path}：{exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        data = None
    if isinstance(data, dict) and "audit_anchor" in data:
        return [data["audit_anchor"]] if data["audit_anchor"] else []
    if isinstance(data, dict):
        return [data]
    return [json.loads(line) for line in text.splitlines() if line.strip()]
