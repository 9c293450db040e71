"""A movement out of a holder the batch never entered, more out than held, a movement of a batch under trace and a
batch without its four documents are refused with a clear message; nothing is written."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.coldchain import services
from jianguan.coldchain.models import Batch, Movement
from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.registry.tests.factories import EntityFactory

from .factories import batch, hand_over, supervisor

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 11, 10)


def test_out_of_a_store_the_batch_never_entered_is_refused(org):
    actor = supervisor()
    b = batch(actor=actor)
    stranger = EntityFactory(name="从未入库的冷库")
    before = Movement.objects.count()
    with pytest.raises(ValidationFailed) as exc:
        services.movement_record(actor=actor, batch=b, holder=stranger, direction="out", quantity=Decimal("5"),
                                 moved_on=DAY)
    assert exc.value.field == "holder" and "从未进入 从未入库的冷库" in exc.value.message
    assert Movement.objects.count() == before


def test_out_larger_than_held_is_refused_counting_earlier_outs(org):
    actor = supervisor()
    b = batch(actor=actor, quantity="1000")
    store = EntityFactory()
    hand_over(actor=actor, batch=b, src=b.importer, dst=store, quantity="600")
    assert services.held(b.pk, b.importer_id) == Decimal("400")
    with pytest.raises(ValidationFailed) as exc:
        services.movement_record(actor=actor, batch=b, holder=b.importer, direction="out",
                                 quantity=Decimal("400.5"), moved_on=DAY)
    assert exc.value.field == "quantity" and "超过" in exc.value.message and "400" in exc.value.message
    services.movement_record(actor=actor, batch=b, holder=b.importer, direction="out", quantity=Decimal("400"),
                             moved_on=DAY)
    assert services.held(b.pk, b.importer_id) == 0


def test_batch_without_nucleic_acid_report_is_not_registered(org):
    actor = supervisor()
    with pytest.raises(ValidationFailed) as exc:
        batch(actor=actor, nucleic_acid_report=" ")
    assert exc.value.field == "nucleic_acid_report" and "核酸检测报告" in exc.value.message
    assert not Batch.objects.exists() and not Movement.objects.exists()


def test_batch_under_trace_is_sealed(org):
    actor = supervisor()
    b = batch(actor=actor)
    services.trace_start(actor=actor, batch=b, reason="positive", origin=b.importer, detected_on=DAY)
    with pytest.raises(TransitionNotAllowed):
        services.movement_record(actor=actor, batch=b, holder=b.importer, direction="out", quantity=Decimal("1"),
                                 moved_on=DAY)


def test_holder_outside_the_officers_scope_is_refused(org):
    from jianguan.core.tests.factories import staff

    station = staff("cc_station", "41040301", ["food_supervisor"], name="卫东区所食品监管员")
    b = batch(actor=supervisor())
    with pytest.raises(ValidationFailed) as exc:
        services.movement_record(actor=station, batch=b, holder=b.importer, direction="out", quantity=Decimal("1"),
                                 moved_on=DAY)
    assert exc.value.field == "holder"
