"""Every write leaves an audit entry, and the hash chain detects an altered or deleted row."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from jianguan.core import audit, services
from jianguan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def _entries(actor, n=5):
    for i in range(n):
        audit.record(
            actor=actor,
            action="test.thing.changed",
            object_type="test",
            object_id=str(i),
            object_repr=f"对象{i}",
            changes={"status": ["a", f"b{i}"]},
        )
    # On PostgreSQL entries are chained after their transaction commits, and a test's transaction never does.
    audit.seal()


def test_a_clean_chain_verifies(org, sysadmin):
    _entries(sysadmin)
    report = audit.verify_chain()
    assert report.ok and report.checked == 5
    call_command("audit", "verify")


def test_entries_link_to_their_predecessor(org, sysadmin):
    _entries(sysadmin, 3)
    rows = list(AuditEntry.objects.order_by("seq"))
    assert [r.seq for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == audit.GENESIS
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash


def test_an_altered_row_is_detected_and_named(org, sysadmin):
    _entries(sysadmin)
    victim = AuditEntry.objects.order_by("id")[2]
    AuditEntry.objects.filter(pk=victim.pk).update(changes={"status": ["a", "forged"]})
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_id == victim.pk and "改动" in report.problem
    with pytest.raises(CommandError, match=f"#{victim.pk}"):
        call_command("audit", "verify")


def test_a_changed_actor_is_detected(org, sysadmin):
    _entries(sysadmin)
    victim = AuditEntry.objects.order_by("id")[1]
    AuditEntry.objects.filter(pk=victim.pk).update(actor_label="someone-else")
    assert audit.verify_chain().first_bad_id == victim.pk


def test_a_deleted_row_is_detected_at_its_successor(org, sysadmin):
    _entries(sysadmin)
    rows = list(AuditEntry.objects.order_by("id"))
    AuditEntry.objects.filter(pk=rows[2].pk)._raw_delete(AuditEntry.objects.db)  # the application refuses (retention)
    report = audit.verify_chain()
    assert not report.ok and report.first_bad_id == rows[3].pk and "删除" in report.problem


def test_services_write_audit_entries_with_before_and_after(org, sysadmin):
    user = services.staff_create(
        actor=sysadmin,
        username="new_one",
        full_name="新人",
        unit=org["41040201"],
        staff_code="X-001",
        roles=["inspector"],
        password="a-long-password-1",
    )
    created = AuditEntry.objects.get(action="core.staff.created")
    assert created.actor == sysadmin and created.changes["username"] == [None, "new_one"]
    services.staff_update(actor=sysadmin, profile=user.profile, title="所长", roles=["inspector", "case_officer"])
    updated = AuditEntry.objects.get(action="core.staff.updated")
    assert updated.changes["title"] == ["", "所长"]
    assert updated.changes["roles"] == [["inspector"], ["case_officer", "inspector"]]
    assert audit.verify_chain().ok


def test_an_update_that_changes_nothing_writes_no_entry(org, sysadmin, station_inspector):
    services.staff_update(actor=sysadmin, profile=station_inspector.profile, title=station_inspector.profile.title)
    assert not AuditEntry.objects.filter(action="core.staff.updated").exists()
