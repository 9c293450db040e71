"""``jianguan import entities FILE.xlsx|FILE.csv``: load market entities from a spreadsheet.

(The module is called ``import`` so the command reads as it should; Django loads commands with
``importlib.import_module``, which does not mind a keyword as a module name.)

Exit codes: 0 the whole file was valid (and written, unless ``--dry-run``); 1 some rows are invalid (nothing was
written, or with ``--skip-invalid`` only the good rows); 2 the file could not be read as an entity list at all.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from jianguan.registry import importexport

from ._common import actor_from

#: Problems printed on the terminal; the report file (``--report``) always has every bad row.
PRINT_LIMIT = 1000


class Command(BaseCommand):
    help = ("从 Excel（.xlsx）或 CSV 文件导入市场主体。默认全部有效才写入（有任何错误则不写入任何数据）；"
            "--dry-run 只校验；--skip-invalid 写入有效行并把有问题的行写入报告。"
            "每个问题都注明行、列和原因。退出码：0 全部有效；1 有错误行；2 文件无法读取。")

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["entities"], help="导入的数据：entities（市场主体）")
        parser.add_argument("file", help="要导入的 .xlsx 或 .csv 文件")
        parser.add_argument("--dry-run", action="store_true", help="只校验，不写入任何数据")
        parser.add_argument("--skip-invalid", action="store_true",
                            help="写入有效的行，跳过有问题的行（写入报告文件，默认为 文件名.问题行.csv）")
        parser.add_argument("--update", action="store_true",
                            help="库中已有的统一社会信用代码：更新该主体（默认视为错误）")
        parser.add_argument("--report", metavar="FILE", help="问题行报告（.csv 或 .xlsx），修正后可直接重新导入")
        parser.add_argument("--actor", metavar="USERNAME", help="以该工作人员的身份和数据范围导入（写入审计日志）")

    def handle(self, *args, what, file, dry_run=False, skip_invalid=False, update=False, report=None, actor=None,
               verbosity=1, **opts):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"文件「{file}」不存在", returncode=2)
        user = actor_from(actor)
        if report is None and skip_invalid and not dry_run:
            report = str(path.with_name(f"{path.stem}.问题行.csv"))
        result = importexport.import_entities(path, actor=user, dry_run=dry_run, skip_invalid=skip_invalid,
                                              update=update, report_path=report)
        for warning in result.warnings:
            self.stderr.write(f"注意：{warning}")
        for problem in result.problems[:PRINT_LIMIT]:
            self.stderr.write(str(problem))
        if result.problem_count > PRINT_LIMIT:
            more = result.problem_count - PRINT_LIMIT
            where = f"，全部见报告 {result.report_path}" if result.report_path else "（用 --report FILE 输出全部问题行）"
            self.stderr.write(f"……另有 {more:,} 处问题{where}")
        if verbosity >= 2:
            for flag in result.flags[:PRINT_LIMIT]:
                self.stdout.write(f"待复核：{flag}")
        if result.report_path:
            self.stderr.write(f"问题行报告：{result.report_path}")
        if result.ok:
            if verbosity >= 1:
                self.stdout.write(self.style.SUCCESS(result.summary()))
            return
        raise CommandError(result.summary(), returncode=result.exit_code)
