"""``jianguan seed --entities N``: add N generated Pingdingshan entities (valid codes, licences, history)."""

from __future__ import annotations

import datetime as dt
import sys

from django.core.management.base import BaseCommand, CommandError

from jianguan.registry import seeding


def _positive(text: str) -> int:
    try:
        value = int(text.replace("_", "").replace(",", ""))
    except ValueError:
        raise CommandError(f"--entities 应为正整数，而不是「{text}」", returncode=2) from None
    if value <= 0:
        raise CommandError("--entities 应为正整数", returncode=2)
    return value


class Command(BaseCommand):
    help = ("生成逼真的平顶山市场主体演示数据（有效的统一社会信用代码、名称、区县分布、行业、日期、状态、许可证）。"
            "相同的 --seed 和 --today 在相同的起始数据库上生成相同的数据。")

    def add_arguments(self, parser):
        parser.add_argument("--entities", type=str, metavar="N", help="生成的市场主体户数")
        parser.add_argument("--finish-indexes", action="store_true",
                            help="只补建上次大批量生成中断后未建完的索引和外键（见 docs/scale.md）")
        parser.add_argument("--seed", type=int, default=2026, help="随机数种子（默认 2026）")
        parser.add_argument("--today", type=dt.date.fromisoformat, help="数据的“今天”（YYYY-MM-DD），默认为当天")
        parser.add_argument("--batch", type=int, default=seeding.BATCH, help=f"每批写入的户数（默认 {seeding.BATCH}）")

    def handle(self, *args, entities, seed, today=None, batch=seeding.BATCH, verbosity=1, finish_indexes=False,
               **opts):
        if finish_indexes:
            built = seeding.finish_pending_indexes()
            self.stdout.write(self.style.SUCCESS(f"已补建 {built} 个索引和外键。" if built else "没有待补建的索引和外键。"))
            return
        if entities is None:
            raise CommandError("请用 --entities N 指定生成的市场主体户数", returncode=2)
        n = _positive(entities)
        if batch <= 0:
            raise CommandError("--batch 应为正整数", returncode=2)
        interactive = verbosity >= 1 and sys.stderr.isatty()

        def progress(done, total):
            if interactive:
                sys.stderr.write(f"\r  {done:,}/{total:,}")
                sys.stderr.flush()

        result = seeding.seed_entities(n, seed=seed, today=today, actor="seed", progress=progress, batch=batch)
        if interactive:
            sys.stderr.write("\n")
        if verbosity >= 1:
            self.stdout.write(self.style.SUCCESS(result.summary()))
            if result.index_seconds:
                self.stdout.write(f"  其中重建索引和外键（检索索引、列表索引、外键校验） {result.index_seconds:.1f} 秒。")
