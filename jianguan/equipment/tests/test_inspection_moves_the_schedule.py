"""Recording an inspection recomputes the device's due and application dates, audits it, and a double click
records it once; a status change stops the schedule and is kept in the history."""

import datetime as dt

import pytest

from jianguan.core.models import AuditEntry
from jianguan.equipment import services
from jianguan.equipment.models import Device

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def test_a_new_lift_is_due_a_year_after_commissioning_and_to_be_applied_for_a_month_before(org):
    device = lift(actor=supervisor(), commissioned_on=dt.date(2026, 1, 20))
    assert (device.next_due, device.apply_by, device.next_kind) == (dt.date(2027, 1, 20), dt.date(2026, 12, 20),
                                                                    "periodic")


def test_recording_an_inspection_sets_the_next_due_date_and_is_idempotent(org):
    user = supervisor()
    device = lift(actor=user, commissioned_on=dt.date(2020, 3, 10))
    kwargs = dict(actor=user, device=device, kind="self_test", inspected_on=dt.date(2026, 3, 2),
                  body="平顶山市安达电梯工程有限公司", conclusion="passed", report_no="ZJ-2026-001", today=TODAY)
    first = services.inspection_record(**kwargs)
    second = services.inspection_record(**kwargs)
    assert first.pk == second.pk and device.inspections.count() == 1
    device.refresh_from_db()
    assert device.next_due == dt.date(2027, 3, 2) and first.next_due == dt.date(2027, 3, 2)
    assert device.next_kind == "periodic"  # year 7 of service: full inspection (TSG T7001)
    assert device.apply_by == dt.date(2027, 2, 2)
    assert AuditEntry.objects.filter(action="equipment.inspection.recorded", object_id=str(first.pk)).count() == 1


def test_a_failed_inspection_makes_the_lift_overdue_until_it_passes_a_re_test(org):
    user = supervisor()
    device = lift(actor=user, commissioned_on=dt.date(2020, 3, 10))
    services.inspection_record(actor=user, device=device, kind="periodic", inspected_on=dt.date(2026, 11, 2),
                               body="检验所", conclusion="failed", today=TODAY)
    device.refresh_from_db()
    assert device.next_due == dt.date(2026, 11, 2) and device.last_conclusion == "failed"
    services.inspection_record(actor=user, device=device, kind="periodic", inspected_on=dt.date(2026, 11, 20),
                               body="检验所", conclusion="passed_retest", today=TODAY)
    device.refresh_from_db()
    assert device.next_due == dt.date(2027, 11, 20) and device.last_conclusion == "passed_retest"


def test_stopping_a_device_takes_it_off_the_schedule_and_keeps_the_history(org):
    user = supervisor()
    device = lift(actor=user)
    services.device_change_status(actor=user, device=device, status="stopped", on=dt.date(2026, 6, 1),
                                  reason="大修", today=TODAY)
    again = services.device_change_status(actor=user, device=device, status="stopped", on=dt.date(2026, 6, 1),
                                          reason="大修", today=TODAY)
    again.refresh_from_db()
    assert again.next_due is None and again.apply_by is None
    assert list(device.status_changes.values_list("after", flat=True)) == ["in_use", "stopped"]


def test_the_bulk_recomputation_agrees_with_recording_one_by_one_and_is_idempotent(org):
    user = supervisor()
    devices = [lift(actor=user, commissioned_on=dt.date(2019, 1, 1 + i)) for i in range(5)]
    for i, d in enumerate(devices):
        services.inspection_record(actor=user, device=d, kind="periodic", inspected_on=dt.date(2026, 1, 10 + i),
                                   body="检验所", conclusion="passed" if i != 2 else "failed", today=TODAY)
    expected = {d.pk: d.next_due for d in Device.objects.all()}
    Device.objects.update(next_due=None, apply_by=None, next_kind="", schedule_basis="")
    assert services.recompute_schedules(today=TODAY) == {"devices": 5, "changed": 5}
    assert {d.pk: d.next_due for d in Device.objects.all()} == expected
    assert services.recompute_schedules(today=TODAY) == {"devices": 5, "changed": 0}


def test_a_rule_changed_from_an_effective_date_moves_the_schedules_at_the_next_sweep(org):
    from jianguan.core.models import RuleValue
    from jianguan.core.sweep import run

    user = supervisor()
    device = lift(actor=user, commissioned_on=dt.date(2026, 1, 20))
    RuleValue.objects.create(key="equipment.apply_months_before", value=2, effective_from=dt.date(2026, 12, 1))
    outcome = run(today=TODAY, only="equipment-schedules")
    assert outcome[0].ok and outcome[0].counts["changed"] == 1
    device.refresh_from_db()
    assert device.apply_by == dt.date(2026, 11, 20)
    assert run(today=TODAY, only="equipment-schedules")[0].counts["changed"] == 0
