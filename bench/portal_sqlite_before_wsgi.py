"""The SQLite baseline of ``bench_portal.py --db sqlite``: the server as it was configured before issue #16 — a new
connection per request (``CONN_MAX_AGE = 0``) running ``PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL`` on
each, Django's own SQLite backend, the application imported by each worker on its first request (no preload,
no warm-up), the health check and the record through the lean Django handler (no ``FastReads``). Same views, same
database file, same gunicorn.

    gunicorn --pythonpath bench portal_sqlite_before_wsgi:application
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jianguan.settings")

import jianguan.settings as project_settings  # noqa: E402  (read by Django below: changed before it is)

project_settings.DATABASES["default"].update(
    ENGINE="django.db.backends.sqlite3",
    CONN_MAX_AGE=0,
    CONN_HEALTH_CHECKS=False,
    OPTIONS={
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    },
)

from django.core.wsgi import get_wsgi_application  # noqa: E402

django_application = get_wsgi_application()

from jianguan.api.handler import with_open_data_handler  # noqa: E402

application = with_open_data_handler(django_application, fast=False)  # FastReads came with #16 too
