"""The ``jianguan`` command: Django's manage.py with the project's settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["draw"]:
        # draw.py is pure Python and needs no Django: skipping its set-up (every app imported, ~1.5 s) keeps
        # `jianguan draw compute` on 1,000,000 candidates within seconds. Same code, arguments and exit status as the
        # management command (and as the citizen's `python3 draw.py`).
        from jianguan.inspections import draw, draw_dask

        # export, --engine and folder manifests (Parquet parts, #23) go to draw_dask; the rest is draw.py's own.
        sys.exit(draw_dask.main(args[1:]) if draw_dask.wants(args[1:]) else draw.main(args[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jianguan", *args])


if __name__ == "__main__":
    main()
