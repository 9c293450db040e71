"""/admin/ is the system administrator's: user edits there are audited and cannot create superusers."""

import pytest

from jianguan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_only_the_system_admin_reaches_admin(login, sysadmin, station_inspector, auditadmin):
    assert login(sysadmin).get("/admin/").status_code == 200
    assert login(station_inspector).get("/admin/").status_code == 302  # not staff → admin login
    assert login(auditadmin).get("/admin/").status_code == 302


def test_user_edit_in_admin_is_audited_and_cannot_grant_superuser(login, sysadmin, station_inspector):
    c = login(sysadmin)
    url = f"/admin/auth/user/{station_inspector.pk}/change/"
    form = c.get(url)
    assert form.status_code == 200
    data = {"username": station_inspector.username, "first_name": "改名", "last_name": "", "email": "",
            "is_active": "on", "is_superuser": "on", "groups": [], "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00", "initial-date_joined_0": "2026-01-01", "initial-date_joined_1": "00:00:00"}
    r = c.post(url, data)
    assert r.status_code == 302, r.content.decode()[:2000]
    station_inspector.refresh_from_db()
    assert station_inspector.first_name == "改名" and not station_inspector.is_superuser
    entry = AuditEntry.objects.get(action="core.user.updated")
    assert entry.changes["first_name"][1] == "改名"
    assert entry.changes["groups"] == [["inspector"], []]
