"""The ``jianguan`` command: Django's manage.py with the project's settings preset."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["jianguan", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
