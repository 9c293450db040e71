"""``jianguan opendata dump [--today YYYY-MM-DD]``: write the bulk downloads now (the daily sweep does it too)."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from jianguan.portal import services


class Command(BaseCommand):
    help = "开放数据：dump 生成全量数据包（CSV、JSON Lines，gzip）与清单 manifest.json"

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["dump"])
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None, help="数据日期（默认今天）")

    def handle(self, *args, action, today, **opts):
        if action != "dump":
            raise CommandError(action)
        manifest = services.opendata_dump(actor="cli", today=today, stdout=self.stdout)
        for d in manifest["skipped"]:
            self.stdout.write(f"  跳过 {d['name']}：{d['reason']}")
        self.stdout.write(self.style.SUCCESS(f"数据包已生成（{manifest['seconds']} 秒）：{manifest['date']}"))
