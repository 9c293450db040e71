"""``jianguan sms send|status``: the queued text messages (``core.notify.queue_sms``, table ``SmsOutbox``).

``send`` drains the queue at the gateway's pace — run it from cron every minute where batches are large (the July
listing queues one text per decision: about 2,000,000 at province scale); ``status`` counts what waits and what failed.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from jianguan.core import notify


class Command(BaseCommand):
    help = "待发短信：send 发送（可限时、限量），status 查看待发和发送失败的条数"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("send", "status"))
        parser.add_argument("--seconds", type=float, default=None, help="发送时长上限（秒）")
        parser.add_argument("--limit", type=int, default=None, help="发送条数上限")

    def handle(self, *args, action, seconds, limit, **opts):
        from jianguan.core.models import SmsOutbox

        if action == "send":
            if (seconds is not None and seconds <= 0) or (limit is not None and limit <= 0):
                raise CommandError("--seconds 和 --limit 须为正数")
            done = notify.drain(seconds=seconds, limit=limit)
            self.stdout.write(self.style.SUCCESS(
                f"已发送 {done['sent']:,} 条，失败 {done['failed']:,} 条，尚待发送 {done['left']:,} 条"))
            return
        waiting = SmsOutbox.objects.filter(sent_at__isnull=True, attempts__lt=notify.MAX_ATTEMPTS).count()
        given_up = SmsOutbox.objects.filter(sent_at__isnull=True, attempts__gte=notify.MAX_ATTEMPTS).count()
        self.stdout.write(f"待发送 {waiting:,} 条；发送 {notify.MAX_ATTEMPTS} 次仍失败、不再重试 {given_up:,} 条")
