"""A positive or recalled batch is traced upstream and downstream to every holder, each holder gets its tasks with
their clocks (rule coldchain.task_hours), a double click starts one trace, and the trace closes when every task is
done."""

import datetime as dt

import pytest

from jianguan.coldchain import services, trace
from jianguan.coldchain.models import Batch, Incident, Task
from jianguan.core.errors import ValidationFailed
from jianguan.core.models import RuleValue
from jianguan.registry.tests.factories import EntityFactory

from .factories import batch, hand_over, supervisor

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 20, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def chain(org):
    """importer → store → {w1, w2}; w1 → {s1, s2}; w2 → s3; s1 → r1 (a restaurant)."""
    actor = supervisor()
    e = {k: EntityFactory(name=k) for k in ("store", "w1", "w2", "s1", "s2", "s3", "r1")}
    b = batch(actor=actor, quantity="1000")
    e["importer"] = b.importer
    hand_over(actor=actor, batch=b, src=e["importer"], dst=e["store"], quantity="1000")
    hand_over(actor=actor, batch=b, src=e["store"], dst=e["w1"], quantity="500")
    hand_over(actor=actor, batch=b, src=e["store"], dst=e["w2"], quantity="500")
    hand_over(actor=actor, batch=b, src=e["w1"], dst=e["s1"], quantity="100")
    hand_over(actor=actor, batch=b, src=e["w1"], dst=e["s2"], quantity="100")
    hand_over(actor=actor, batch=b, src=e["w2"], dst=e["s3"], quantity="500")
    hand_over(actor=actor, batch=b, src=e["s1"], dst=e["r1"], quantity="20")
    return actor, b, e


def _places(incident):
    return {h.entity.name: (h.place, h.hops) for h in incident.holders.select_related("entity")}


def test_positive_at_a_wholesaler_traces_upstream_downstream_and_the_rest_of_the_batch(chain):
    actor, b, e = chain
    incident = services.trace_start(actor=actor, batch=b, reason="positive", origin=e["w1"],
                                    detected_on=dt.date(2026, 11, 20), now=START)
    assert _places(incident) == {
        "w1": ("origin", 0),
        "store": ("up", 1), e["importer"].name: ("up", 2),
        "s1": ("down", 1), "s2": ("down", 1), "r1": ("down", 2),
        "w2": ("same", None), "s3": ("same", None),
    }
    assert Batch.objects.get(pk=b.pk).status == "positive"


def test_recall_from_the_importer_reaches_every_holder(chain):
    actor, b, e = chain
    incident = services.trace_start(actor=actor, batch=b, reason="recall", origin=e["importer"],
                                    detected_on=dt.date(2026, 11, 20), now=START)
    places = _places(incident)
    assert set(places) == {h.name for h in e.values()}
    assert places["r1"] == ("down", 4) and places["s3"] == ("down", 3)


def test_each_holder_gets_its_tasks_with_clocks_and_seal_only_where_stock_remains(chain):
    actor, b, e = chain
    incident = services.trace_start(actor=actor, batch=b, reason="positive", origin=e["w1"],
                                    detected_on=dt.date(2026, 11, 20), now=START)
    tasks = {(t.holder.entity.name, t.kind): t.due_at for t in Task.objects.filter(holder__incident=incident)
             .select_related("holder__entity")}
    # w1 received 500 and sent out 200: 300 left to seal within 2 hours; the store sent everything on
    assert tasks[("w1", "seal")] == START + dt.timedelta(hours=2)
    assert ("store", "seal") not in tasks and ("importer", "seal") not in tasks
    assert tasks[("store", "notify")] == START + dt.timedelta(hours=12)
    assert tasks[("r1", "disinfect")] == START + dt.timedelta(hours=24)
    assert tasks[("s3", "report")] == START + dt.timedelta(hours=48)
    holder = incident.holders.get(entity=e["w1"])
    assert holder.held == 300


def test_task_clock_follows_the_rule_in_force(chain):
    actor, b, e = chain
    RuleValue.objects.create(key="coldchain.task_hours", effective_from=dt.date(2026, 11, 1),
                                value={"seal": 1, "notify": 6, "disinfect": 12, "report": 24}, note="市局规定")
    incident = services.trace_start(actor=actor, batch=b, reason="positive", origin=e["w1"],
                                    detected_on=dt.date(2026, 11, 20), now=START)
    seal = Task.objects.get(holder__incident=incident, holder__entity=e["w1"], kind="seal")
    assert seal.due_at == START + dt.timedelta(hours=1)


def test_double_click_starts_one_trace(chain):
    actor, b, e = chain
    one = services.trace_start(actor=actor, batch=b, reason="positive", origin=e["w1"], detected_on=START.date())
    two = services.trace_start(actor=actor, batch=b, reason="positive", origin=e["w1"], detected_on=START.date())
    assert one.pk == two.pk and Incident.objects.count() == 1


def test_origin_must_be_a_holder_of_the_batch(chain):
    actor, b, _e = chain
    with pytest.raises(ValidationFailed) as exc:
        services.trace_start(actor=actor, batch=b, reason="positive", origin=EntityFactory(), detected_on=START.date())
    assert exc.value.field == "origin"
    assert not Incident.objects.exists()


def test_trace_closes_when_the_last_task_is_done_and_late_tasks_are_marked(chain):
    actor, b, e = chain
    incident = services.trace_start(actor=actor, batch=b, reason="positive", origin=e["w1"],
                                    detected_on=START.date(), now=START)
    tasks = list(Task.objects.filter(holder__incident=incident))
    for task in tasks[:-1]:
        services.task_complete(actor=actor, task=task, result="已完成", now=START + dt.timedelta(hours=1))
    incident.refresh_from_db()
    assert incident.closed_at is None
    late = START + dt.timedelta(hours=72)
    services.task_complete(actor=actor, task=tasks[-1], result="已报告", now=late)
    services.task_complete(actor=actor, task=tasks[-1], result="重复提交", now=late)  # double click: no change
    incident.refresh_from_db()
    assert incident.closed_at == late
    assert Task.objects.get(pk=tasks[-1].pk).result == "已报告"


def test_recursive_cte_agrees_with_the_naive_walk(chain):
    _actor, b, e = chain
    for origin in e.values():
        cte = {n for n, _p, _h in trace.holders(b.pk, origin.pk)}
        assert cte == trace.holders_naive(b.pk, origin.pk)


def test_a_loop_in_the_records_ends(chain):
    actor, b, e = chain
    hand_over(actor=actor, batch=b, src=e["r1"], dst=e["w1"], quantity="5")  # returned goods: a cycle
    rows = trace.holders(b.pk, e["w1"].pk)
    assert len(rows) == len({n for n, _p, _h in rows}) == 8
