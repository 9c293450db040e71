"""Every write through /admin/ is audited by one mechanism (#14 finding 5): workday overrides deleted and calendar
years saved there used to move statutory deadlines without a trace."""

import datetime as dt

import pytest
from django.contrib import admin

from jianguan.core import audit
from jianguan.core.admin_site import AuditedAdminMixin
from jianguan.core.models import AuditEntry, CalendarYear, WorkdayOverride

pytestmark = pytest.mark.django_db


def test_every_registered_model_admin_is_audited():
    unaudited = [m._meta.label for m, ma in admin.site._registry.items() if not isinstance(ma, AuditedAdminMixin)]
    assert unaudited == []


def test_deleting_a_workday_override_in_admin_is_audited(login, sysadmin):
    day = WorkdayOverride.objects.create(date=dt.date(2027, 10, 9), is_workday=True, note="调休")
    r = login(sysadmin).post(f"/admin/core/workdayoverride/{day.pk}/delete/", {"post": "yes"})
    assert r.status_code == 302 and not WorkdayOverride.objects.exists()
    entry = AuditEntry.objects.get(action="admin.core.workdayoverride.deleted")
    assert entry.actor == sysadmin and entry.changes["date"] == ["2027-10-09", None]
    assert audit.verify_chain().ok


def test_bulk_delete_in_admin_audits_each_row(login, sysadmin):
    days = [WorkdayOverride.objects.create(date=dt.date(2027, 5, d), is_workday=False) for d in (1, 2)]
    login(sysadmin).post("/admin/core/workdayoverride/", {
        "action": "delete_selected", "_selected_action": [d.pk for d in days], "post": "yes"})
    assert AuditEntry.objects.filter(action="admin.core.workdayoverride.deleted").count() == 2


def test_saving_a_calendar_year_in_admin_is_audited_with_before_and_after(login, sysadmin):
    c = login(sysadmin)
    c.post("/admin/core/calendaryear/add/", {"year": 2031, "note": "国办发明电〔2030〕7号"})
    added = AuditEntry.objects.get(action="admin.core.calendaryear.added")
    assert added.changes["year"] == [None, 2031]
    year = CalendarYear.objects.get(year=2031)
    c.post(f"/admin/core/calendaryear/{year.pk}/change/", {"year": 2031, "note": "更正"})
    changed = AuditEntry.objects.get(action="admin.core.calendaryear.changed")
    assert changed.changes == {"note": ["国办发明电〔2030〕7号", "更正"]}
