"""Results: only team members with a valid credential record them, in the official categories, for every item; both
members confirm; re-recording asks for confirmation again; a concluded result is final."""

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import StaffProfile
from jianguan.inspections import services
from jianguan.inspections.models import TaskStatus

from . import factories


@pytest.fixture
def task(xh):
    return factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0})).tasks.get()


def test_a_non_member_cannot_record(xh, task):
    outsider = factories.inspector("outsider")
    with pytest.raises(PermissionDenied):
        services.result_record(
            actor=outsider, task=task, inspected_on=timezone.localdate(), results=factories.result(task)
        )


def test_an_inspector_whose_credential_expired_cannot_record(xh, task):
    StaffProfile.objects.filter(user=xh["a"]).update(credential_expiry=timezone.localdate() - timezone.timedelta(1))
    with pytest.raises(DomainError, match="执法证已于") as refused:
        services.result_record(
            actor=xh["a"], task=task, inspected_on=timezone.localdate(), results=factories.result(task)
        )
    assert refused.value.code == "credential_invalid"


def test_every_item_needs_an_official_category(xh, task):
    with pytest.raises(ValidationFailed, match="检查结果无效"):
        services.result_record(
            actor=xh["a"], task=task, inspected_on=timezone.localdate(), results=factories.result(task, "looks fine")
        )
    with pytest.raises(ValidationFailed, match="请选择"):
        services.result_record(actor=xh["a"], task=task, inspected_on=timezone.localdate(), results=[])


def test_both_members_confirm_and_a_rerecord_asks_again(xh, task):
    services.result_record(actor=xh["a"], task=task, inspected_on=timezone.localdate(), results=factories.result(task))
    services.result_record(
        actor=xh["b"],
        task=task,
        inspected_on=timezone.localdate(),
        results=factories.result(task, "corrected", "已责令改正"),
    )
    task.refresh_from_db()
    assert task.status == TaskStatus.RECORDED
    assert [m.confirmed_at is not None for m in task.members.order_by("inspector__username")] == [False, True]
    services.result_confirm(actor=xh["a"], task=task)
    services.result_confirm(actor=xh["a"], task=task)  # a second click is harmless
    task.refresh_from_db()
    assert task.status == TaskStatus.CONFIRMED
    assert task.results.get().category == "corrected"
    with pytest.raises(TransitionNotAllowed, match="不能再修改"):
        services.result_record(
            actor=xh["a"], task=task, inspected_on=timezone.localdate(), results=factories.result(task)
        )


def test_the_inspection_date_cannot_be_in_the_future(xh, task):
    with pytest.raises(ValidationFailed, match="不能晚于今天"):
        services.result_record(
            actor=xh["a"],
            task=task,
            inspected_on=timezone.localdate() + timezone.timedelta(1),
            results=factories.result(task),
        )
