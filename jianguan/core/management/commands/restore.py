from django.core.management.base import BaseCommand, CommandError

from jianguan.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "从 jianguan backup 的归档恢复：先核对全部校验和，再替换数据库内容、附件文件和审计锚点。"

    def add_arguments(self, parser):
        parser.add_argument("archive", help="备份文件路径")

    def handle(self, *args, archive, **opts):
        try:
            manifest = restore(archive)
        except (BackupError, OSError) as exc:
            raise CommandError(f"恢复失败：{exc}") from None
        self.stdout.write(self.style.SUCCESS(
            f"已从 {archive} 恢复（{manifest['created_at']} 的备份，审计链头第 {manifest['audit_head'][0]} 条）。"
            "请运行 jianguan audit verify 核对审计日志。"))
