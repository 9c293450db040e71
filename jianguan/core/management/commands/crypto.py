from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from jianguan.core import crypto


class Command(BaseCommand):
    help = (
        "个人信息加密（#14）：newkey 生成一个新密钥（base64，32 字节）；rotate 用当前密钥（JIANGUAN_DATA_KEYS 的第一个）"
        "重新加密所有仍用旧密钥加密的字段与上传文件（媒体存储），并按当前盲索引密钥（JIANGUAN_DATA_HASH_KEY）重算不一致的盲索引；"
        "分批提交，中断后重跑即从未完成处继续；每个数据表记一条审计。"
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["newkey", "rotate"])
        parser.add_argument("--batch", type=int, default=1000, help="rotate：每批行数（默认 1000）")
        parser.add_argument("--rehash-from", default="", metavar="OLDKEY",
                            help="rotate：更换盲索引密钥时给出旧密钥（base64）；存储的盲索引须由旧密钥或新密钥算出，否则停止")

    def handle(self, *args, action, batch, rehash_from, **opts):
        if action == "newkey":
            self.stdout.write(crypto.new_key())
            return
        if not 1 <= batch <= 100_000:
            raise CommandError("--batch 须在 1 到 100000 之间")
        try:
            old = crypto.parse_hash_key(rehash_from) if rehash_from else None
        except ImproperlyConfigured as exc:
            raise CommandError(f"--rehash-from：{exc}") from None
        try:
            reports = crypto.rotate(batch=batch, rehash_from=old)
        except crypto.DecryptionError as exc:
            raise CommandError(str(exc)) from None
        ring = crypto.keyring()
        for r in reports:
            self.stdout.write(f"{r.model}：{r.rows} 行，重新加密 {r.reencrypted} 行，重算盲索引 {r.rehashed} 行"
                              + (f"，磁盘上缺失的文件 {r.missing} 个" if r.missing else ""))
        self.stdout.write(self.style.SUCCESS(f"完成：所有个人信息字段已使用密钥「{ring.current}」。"))
