"""The public pages: the commitment and beacon before the draw, the bundle and the verifier after it, results per
entity — and no inspector's phone or ID number anywhere."""

import hashlib
import subprocess
import sys

from jianguan.core.models import StaffProfile
from jianguan.inspections import draw, services

from . import factories


def test_before_the_draw_only_the_commitment_and_manifest_are_public(xh, client):
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="committed")
    base = f"/inspections/plans/{batch.plan.code}/batches/1/"
    page = client.get(base).content.decode()
    assert batch.commitment in page and factories.BEACON in page
    assert client.get(base + "bundle.json").status_code == 404
    manifest = client.get(base + "manifest.json").content
    assert hashlib.sha256(manifest).hexdigest() == batch.commitment


def test_draft_plans_and_batches_are_not_public(xh, client):
    draft = factories.plan(xh["head"], publish=False)
    assert client.get(f"/inspections/plans/{draft.code}/").status_code == 404
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="draft")
    assert client.get(f"/inspections/plans/{batch.plan.code}/batches/1/").status_code == 404


def test_a_citizen_downloads_and_verifies_with_one_command(xh, client, tmp_path):
    StaffProfile.objects.filter(user=xh["a"]).update(phone="13900001111")
    batch = factories.batch(xh["head"], factories.plan(xh["head"]), step="published")
    base = f"/inspections/plans/{batch.plan.code}/batches/1/"
    page = client.get(base).content.decode()
    assert "python3 draw.py verify" in page and "检查员甲" in page
    assert "13900001111" not in page
    bundle = client.get(base + "bundle.json")
    assert bundle.content == batch.bundle.encode()
    verifier = client.get("/inspections/draw.py")
    assert verifier["Content-Type"].startswith("text/x-python")
    source = b"".join(verifier.streaming_content)
    with open(draw.__file__, "rb") as handle:
        assert source == handle.read()
    (tmp_path / "draw.py").write_bytes(source)
    (tmp_path / "bundle.json").write_bytes(bundle.content)
    result = subprocess.run(
        [sys.executable, "draw.py", "verify", "bundle.json"], cwd=tmp_path, capture_output=True, text=True
    )
    assert result.returncode == 0 and "验证通过" in result.stdout


def test_published_results_appear_per_entity(xh, client):
    batch = factories.batch(xh["head"], factories.plan(xh["head"], quota_overrides={"B": 1, "D": 0}), step="published")
    task = factories.conclude(batch.tasks.get(), "corrected")
    services.results_publish(actor=xh["head"], tasks=[task])
    page = client.get(f"/inspections/results/{task.entity.uscc}/").content.decode()
    assert task.entity.name in page and "发现问题已责令改正" in page
    assert task.entity.name in client.get("/inspections/results/", {"q": task.entity.uscc}).content.decode()
    assert (
        client.get(f"/api/v1/public/inspections/plans/{batch.plan.code}/batches/1").json()["commitment"]
        == batch.commitment
    )
