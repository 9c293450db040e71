"""A published plan and a frozen manifest cannot be edited; randomness is entered once; a drawn batch never changes
and a re-draw is a new batch whose reason is in the audit log."""

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.core.models import AuditEntry
from jianguan.inspections import services
from jianguan.inspections.models import DrawBatch, TaskStatus

from . import factories


def test_a_published_plan_cannot_be_edited(xh):
    plan = factories.plan(xh["head"])
    with pytest.raises(TransitionNotAllowed, match="不能再修改"):
        services.plan_update(actor=xh["head"], plan=plan, team_size=3)


def test_a_frozen_manifest_cannot_be_edited_or_frozen_again(xh):
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="committed")
    with pytest.raises(TransitionNotAllowed, match="抽取清单已冻结"):
        services.batch_update(actor=xh["head"], batch=batch, beacon="另一个随机源")
    with pytest.raises(TransitionNotAllowed, match="已冻结"):
        services.batch_freeze(actor=xh["head"], batch=batch)


def test_freezing_needs_a_published_plan(xh):
    plan = factories.plan(xh["head"], publish=False)
    batch = services.batch_create(actor=xh["head"], plan=plan, beacon=factories.BEACON)
    with pytest.raises(TransitionNotAllowed, match="须先公示抽查计划"):
        services.batch_freeze(actor=xh["head"], batch=batch)


def test_randomness_cannot_be_entered_before_freezing_or_twice(xh):
    plan = factories.plan(xh["head"])
    draft = factories.batch(xh["head"], plan, step="draft")
    with pytest.raises(TransitionNotAllowed, match="须先冻结"):
        services.batch_draw(actor=xh["head"], batch=draft, randomness="1")
    drawn = factories.batch(xh["head"], plan)
    bundle = drawn.bundle
    with pytest.raises(TransitionNotAllowed, match="不能再次录入"):
        services.batch_draw(actor=xh["head"], batch=drawn, randomness="another")
    drawn.refresh_from_db()
    assert drawn.bundle == bundle and drawn.randomness == factories.RANDOMNESS


def test_blank_randomness_is_refused(xh):
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="committed")
    with pytest.raises(ValidationFailed, match="随机源公布的值"):
        services.batch_draw(actor=xh["head"], batch=batch, randomness="   ")


def test_a_redraw_is_a_new_batch_with_its_reason_audited(xh):
    plan = factories.plan(xh["head"])
    old = factories.batch(xh["head"], plan, step="published")
    bundle = old.bundle
    new = services.batch_redraw(
        actor=xh["head"],
        batch=old,
        reason="开奖号码录入时发现随机源期号写错",
        beacon="福利彩票3D 2026年第321期开奖号码",
    )
    old.refresh_from_db()
    assert old.status == DrawBatch.Status.SUPERSEDED and old.bundle == bundle
    assert set(old.tasks.values_list("status", flat=True)) == {TaskStatus.VOID}
    assert (new.number, new.status, new.redraw_of) == (2, DrawBatch.Status.DRAFT, old)
    entry = AuditEntry.objects.get(action="inspections.batch.redrawn")
    assert entry.changes["reason"][1] == "开奖号码录入时发现随机源期号写错"


def test_a_redraw_needs_a_reason_and_no_recorded_results(xh):
    batch = factories.batch(xh["head"], factories.plan(xh["head"]))
    with pytest.raises(ValidationFailed, match="须说明原因"):
        services.batch_redraw(actor=xh["head"], batch=batch, reason=" ", beacon="x")
    task = batch.tasks.first()
    services.result_record(
        actor=xh["a"], task=task, inspected_on=factories.timezone.localdate(), results=factories.result(task)
    )
    with pytest.raises(TransitionNotAllowed, match="已有检查结果"):
        services.batch_redraw(actor=xh["head"], batch=batch, reason="理由", beacon="x")
