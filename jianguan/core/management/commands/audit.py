from django.core.management.base import BaseCommand, CommandError

from jianguan.core.audit import verify_chain


class Command(BaseCommand):
    help = "审计日志：verify 校验哈希链，发现被改动或删除的记录时以非零状态退出并指出第一条。"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["verify"])

    def handle(self, *args, action, **opts):
        report = verify_chain()
        if not report.ok:
            raise CommandError(f"{report.problem}（此前 {report.checked} 条记录完好）")
        self.stdout.write(self.style.SUCCESS(f"审计日志哈希链完整：已校验 {report.checked} 条记录。"))
