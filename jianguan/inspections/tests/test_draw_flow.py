"""The whole flow: plan → notice → freeze (commitment) → randomness → draw → bundle verifies (library and command
line) → tasks per team → both members record and confirm → consequences → publication by the sweep."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

from django.utils import timezone

from jianguan.core.models import AuditEntry
from jianguan.enforcement.models import Lead
from jianguan.inspections import draw, services
from jianguan.inspections.models import DrawBatch, ListingProposal, TaskStatus

from . import factories


def test_a_plan_is_drawn_verified_inspected_and_published(xh, client, tmp_path):
    head = xh["head"]
    plan = factories.plan(head, ratios={"A": "0.01", "B": "0.2", "C": "0.1", "D": "0.3"}, max_tasks=10)
    batch = services.batch_create(actor=head, plan=plan, beacon=factories.BEACON)

    batch = services.batch_freeze(actor=head, batch=batch)
    assert batch.status == DrawBatch.Status.COMMITTED
    assert batch.commitment == hashlib.sha256(batch.manifest.encode()).hexdigest()
    assert batch.commitment == draw.commitment(json.loads(batch.manifest))
    assert {s["name"]: (s["size"], s["quota"]) for s in batch.strata} == {
        "A": (0, 0),
        "B": (10, 2),
        "C": (0, 0),
        "D": (10, 3),
    }
    notice = client.get(f"/inspections/plans/{plan.code}/")
    assert batch.commitment in notice.content.decode() and factories.BEACON in notice.content.decode()

    batch = services.batch_draw(actor=head, batch=batch, randomness=factories.RANDOMNESS)
    bundle = json.loads(batch.bundle)
    assert draw.verify(bundle) == []
    assert batch.bundle == draw.dump_bundle(draw.compute(json.loads(batch.manifest), factories.RANDOMNESS))
    assert batch.bundle_sha256 == hashlib.sha256(batch.bundle.encode()).hexdigest()
    path = tmp_path / "bundle.json"
    path.write_text(batch.bundle, encoding="utf-8")
    cli = subprocess.run(
        [sys.executable, "-m", "jianguan", "draw", "verify", str(path)],
        capture_output=True,
        text=True,
        env={**_env(), "JIANGUAN_TESTING": "1"},
        cwd=Path(__file__).parents[3],
    )
    assert cli.returncode == 0, cli.stdout + cli.stderr
    assert "验证通过" in cli.stdout

    tasks = list(batch.tasks.order_by("position"))
    assert len(tasks) == 5 and [t.entity.uscc for t in tasks] == [s["id"] for s in bundle["selected"]]
    for task in tasks:
        assert sorted(m.inspector.username for m in task.members.all()) == ["insp_a", "insp_b"]
        assert task.due_on == batch.results_due_on

    services.batch_publish(actor=head, batch=batch)
    unreachable, follow_up, fine = tasks[0], tasks[1], tasks[2]
    factories.conclude(unreachable, "unreachable")
    factories.conclude(follow_up, "follow_up", "实际经营地与住所不一致")
    factories.conclude(fine, "no_problem")
    assert unreachable.status == follow_up.status == fine.status == TaskStatus.CONFIRMED

    proposal = ListingProposal.objects.get()
    assert proposal.task == unreachable and proposal.status == ListingProposal.Status.PROPOSED
    lead = Lead.objects.get()
    assert (lead.entity, lead.source_kind, lead.source_type, lead.source_id) == (
        follow_up.entity,
        "inspection",
        "inspections.task",
        str(follow_up.pk),
    )
    assert "实际经营地与住所不一致" in lead.description

    public = client.get(f"/inspections/results/{fine.entity.uscc}/")
    assert "未发现问题" not in public.content.decode()  # confirmed, not yet published
    counts = services.sweep(today=timezone.localdate())
    assert counts["published"] == 3
    assert services.sweep(today=timezone.localdate())["published"] == 0
    public = client.get(f"/inspections/results/{fine.entity.uscc}/")
    assert "未发现问题" in public.content.decode()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {
        "inspections.batch.committed",
        "inspections.batch.drawn",
        "inspections.result.concluded",
        "inspections.result.published",
        "inspections.proposal.created",
        "enforcement.lead.created",
    } <= actions


def _env():
    import os

    return {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
