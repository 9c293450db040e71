"""``jianguan draw compute MANIFEST.json --randomness R [--output FILE]`` and ``jianguan draw verify BUNDLE.json``.

The very code the citizen runs as ``python3 draw.py …``: this command hands its arguments to ``draw.main``, so
exit status and messages are the same (0 verified; 1 with every difference listed; 2 unreadable input).
"""

import sys

from django.core.management.base import BaseCommand, CommandError

from jianguan.inspections import draw, draw_dask


class Command(BaseCommand):
    help = "计算或验证双随机抽取结果（jianguan-draw/1）：draw compute MANIFEST.json --randomness R | draw verify BUNDLE.json"

    def run_from_argv(self, argv):
        # draw.py has its own argument parser (compute/verify); Django's options do not apply here.
        sys.exit(self._main(argv[2:]))

    @staticmethod
    def _main(argv: list[str]) -> int:
        # export, --engine dask|local and folder manifests (Parquet parts, #23) are draw_dask's; the rest draw.py's.
        return draw_dask.main(argv) if draw_dask.wants(argv) else draw.main(argv)

    def add_arguments(self, parser):
        parser.add_argument("args", nargs="*", help="compute MANIFEST.json --randomness R | verify BUNDLE.json")

    def handle(self, *args, **options):
        code = self._main(list(args))
        if code:
            raise CommandError(f"draw {' '.join(args[:1])} 失败（退出码 {code}）", returncode=code)
