"""Import problem reports (they hold the uploaded rows, ID numbers included) are deleted after a week by the
daily sweep; running it again changes nothing."""

import datetime as dt
import os
from io import StringIO

from jianguan.registry.importviews import _reports_dir
from jianguan.registry.sweep import purge_import_reports


def test_reports_older_than_a_week_are_deleted(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    folder = _reports_dir()
    old, fresh = folder / "old.xlsx", folder / "fresh.xlsx"
    for path in (old, fresh):
        path.write_bytes(b"x")
    today = dt.date(2026, 11, 20)
    eight_days_ago = dt.datetime(2026, 11, 12, 12).timestamp()
    os.utime(old, (eight_days_ago, eight_days_ago))
    os.utime(fresh, (dt.datetime(2026, 11, 19).timestamp(),) * 2)
    assert purge_import_reports(today=today, stdout=StringIO()) == {"removed": 1}
    assert not old.exists() and fresh.exists()
    assert purge_import_reports(today=today, stdout=StringIO()) == {"removed": 0}
