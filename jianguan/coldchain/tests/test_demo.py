"""The demo step builds batches moving through cold stores, wholesalers and shops with one recall traced to every
holder, the enterprise account of a downstream holder that has reported on sealing its stock, and a second run adds
nothing."""

import datetime as dt
import io

import pytest

from jianguan.coldchain.demo import demo_coldchain
from jianguan.coldchain.models import Batch, Incident, Movement, Task
from jianguan.core.tests.factories import staff
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_the_demo_builds_batches_and_a_traced_recall_and_is_idempotent(org):
    staff("sp_supervisor", "410400SP", ["food_supervisor", "inspector"], name="食品监管员")
    for _ in range(120):
        EntityFactory()
    today = dt.date(2026, 12, 4)
    demo_coldchain(today=today, stdout=io.StringIO())
    assert Batch.objects.count() == 300
    moves = Movement.objects.count()
    assert moves > 300 * 10
    incident = Incident.objects.get()
    assert incident.holders.count() == len(set(Movement.objects.filter(batch=incident.batch)
                                               .values_list("holder_id", flat=True)))
    holder = Task.objects.exclude(report="").get()  # the demo holder reported on sealing its stock
    assert holder.kind == "seal" and holder.done_at is None and holder.reported_by.username == "ent_coldchain"
    assert holder.reported_by.public_profile.entity_id == holder.holder.entity_id
    demo_coldchain(today=today, stdout=io.StringIO())
    assert Movement.objects.count() == moves and Incident.objects.count() == 1
    assert Task.objects.exclude(report="").count() == 1
