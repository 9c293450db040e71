"""`jianguan draw compute` prints the bundle; `jianguan draw verify` exits 0 on a published bundle and, on a
tampered one, exits non-zero naming every difference."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from . import factories

ROOT = Path(__file__).parents[3]


def _jianguan(*args):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["JIANGUAN_TESTING"] = "1"
    return subprocess.run(
        [sys.executable, "-m", "jianguan", "draw", *args], capture_output=True, text=True, env=env, cwd=ROOT
    )


@pytest.fixture
def drawn(xh, tmp_path):
    batch = factories.batch(xh["head"], factories.plan(xh["head"]))
    (tmp_path / "manifest.json").write_text(batch.manifest, encoding="utf-8")
    (tmp_path / "bundle.json").write_text(batch.bundle, encoding="utf-8")
    return batch, tmp_path


def test_compute_prints_the_stored_bundle(drawn):
    batch, path = drawn
    result = _jianguan("compute", str(path / "manifest.json"), "--randomness", factories.RANDOMNESS)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(batch.bundle)
    out = path / "out.json"
    assert (
        _jianguan(
            "compute", str(path / "manifest.json"), "--randomness", factories.RANDOMNESS, "--output", str(out)
        ).returncode
        == 0
    )
    assert out.read_text(encoding="utf-8") == batch.bundle


def test_a_tampered_bundle_names_every_difference(drawn):
    batch, path = drawn
    bundle = json.loads(batch.bundle)
    bundle["randomness"] = "2026320: 3 8 6"
    bundle["selected"][0]["inspectors"] = list(reversed(bundle["selected"][0]["inspectors"]))
    (path / "tampered.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    result = _jianguan("verify", str(path / "tampered.json"))
    assert result.returncode == 1
    assert "验证失败" in result.stdout and "seed 不一致" in result.stdout and "selected[0]" in result.stdout
    assert _jianguan("verify", str(path / "bundle.json")).returncode == 0
