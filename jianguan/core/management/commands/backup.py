from django.core.management.base import BaseCommand, CommandError

from jianguan.core.backup import BackupError, backup


class Command(BaseCommand):
    help = "备份：数据库（一致性快照）、附件文件和审计锚点写入一个归档文件，附各文件的 SHA-256 校验和。"

    def add_arguments(self, parser):
        parser.add_argument("--output", required=True, help="备份文件路径（.tar.gz）")

    def handle(self, *args, output, **opts):
        try:
            manifest = backup(output)
        except (BackupError, OSError) as exc:
            raise CommandError(f"备份失败：{exc}") from None
        self.stdout.write(self.style.SUCCESS(
            f"已备份到 {output}：{manifest['vendor']} 数据库，{len(manifest['files']) - 1} 个其他文件，"
            f"审计链头第 {manifest['audit_head'][0]} 条。"))
