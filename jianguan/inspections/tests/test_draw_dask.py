"""The draw on Dask (#23): over Parquet parts, on a local cluster of two worker processes, the bundle is byte for byte
the single-machine engine's — whether the parts' id ranges overlap (cut and merged by ranges) or not — and the
existing verifier accepts it; duplicates across strata and unreadable rows are refused with the part and row named.

One LocalCluster (two processes, one thread each) serves the whole module; the command-line test reaches it through
JIANGUAN_DASK_SCHEDULER, as a real deployment reaches its scheduler."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from jianguan.inspections import draw, draw_dask

ROOT = Path(__file__).parents[3]
RANDOMNESS = "福彩3D 2026-12-01 第2026321期 开奖号码 4 1 5"
ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


@pytest.fixture(scope="module")
def client():
    dask_client, cluster = draw_dask.connect(workers=2)
    yield dask_client
    dask_client.close()
    cluster.close()


def _code(i: int) -> str:
    digits = []
    for _ in range(8):
        i, r = divmod(i, 31)
        digits.append(ALPHABET[r])
    return "91410402MA" + "".join(reversed(digits))


def manifest(n: int, *, shuffled: bool) -> dict:
    """n candidates in four strata over five units (one named with a quote, which JSON escapes), inspectors for most
    teams and a few conflicts. ``shuffled``: candidates in random order, ids of all strata interleaved, so the parts'
    id ranges overlap; else each stratum a block of ids in order (the parts do not overlap)."""
    rng = random.Random(n)
    units = ["410402", "410403", "410411", "410421", '新华区"西高皇"所']
    ids = [_code(i) for i in range(n)]
    if shuffled:
        rng.shuffle(ids)
    shares = (("D", 0.05, 0.3), ("A", 0.5, 0.01), ("C", 0.15, 0.1), ("B", 0.3, 0.03))  # not in name order
    strata, start = [], 0
    for k, (name, share, ratio) in enumerate(shares):
        size = n - start if k == len(shares) - 1 else int(n * share)
        block = ids[start : start + size]
        strata.append(
            {
                "quota": -(-size * int(ratio * 100) // 100),
                "name": name,
                "candidates": [{"id": ident, "unit": units[rng.randrange(len(units))]} for ident in block],
            }
        )
        start += size
    inspectors = [{"id": f"I{k}-{j:03d}", "unit": u} for k, u in enumerate(units) for j in range(int(n * 0.0006) + 2)]
    conflicts = [[inspectors[j]["id"], strata[1]["candidates"][j]["id"]] for j in range(min(20, len(inspectors)))]
    return {
        "algorithm": "jianguan-draw/1",
        "plan": "410400-2026-923",
        "batch": "1",
        "beacon": "福彩3D 2026-12-01 开奖号码",
        "team_size": 2,
        "max_tasks": 20,
        "strata": strata,
        "inspectors": inspectors,
        "conflicts": conflicts,
    }


def test_overlapping_parts_give_the_single_machine_bundle_byte_for_byte(client, tmp_path):
    m = manifest(10_000, shuffled=True)
    expected = draw.dump_bundle(draw.compute(m, RANDOMNESS))
    draw_dask.export(m, tmp_path / "parts", part_rows=1_500)  # 8 parts, every id range overlapping the others
    progress = draw_dask.Progress()
    text = draw_dask.bundle_text(tmp_path / "parts", RANDOMNESS, client=client, progress=progress)
    assert text == expected
    bundle = json.loads(text)
    assert draw.verify(bundle) == []
    assert len(bundle["selected"]) > 300 and bundle["unassigned"]  # both outcomes of §4 occur
    assert "[dask] 1/5 读取、校验并按 id 排序各分片：8/8 个任务" in progress.lines
    assert any(line.startswith("[dask] 3/5 规范 JSON 逐段计入承诺值（SHA-256）：") for line in progress.lines)


def test_parts_in_id_order_and_the_compact_layout(client, tmp_path, monkeypatch):
    monkeypatch.setattr(draw, "PRETTY_MAX_CANDIDATES", 1_000)  # the layout of large bundles (streamed, compact)
    m = manifest(10_000, shuffled=False)
    expected = draw.dump_bundle(draw.compute(m, RANDOMNESS))
    assert not expected.startswith('{\n')
    draw_dask.export(m, tmp_path / "parts", part_rows=2_000)
    assert draw_dask.bundle_text(tmp_path / "parts", RANDOMNESS, client=client) == expected
    assert draw_dask.read_manifest(tmp_path / "parts") == m


def test_a_candidate_in_two_strata_is_refused_naming_both(client, tmp_path):
    m = manifest(200, shuffled=True)
    twice = m["strata"][0]["candidates"][3]["id"]
    m["strata"][2]["candidates"][5]["id"] = twice
    with pytest.raises(draw.ManifestError):  # export refuses it as draw.py does
        draw_dask.export(m, tmp_path / "refused")
    m["strata"][2]["candidates"][5]["id"] = "91410402MAZZZZZZZZ"
    draw_dask.export(m, tmp_path / "parts", part_rows=30)
    # the same duplicate written straight into a part, as a bureau's own export might
    import pyarrow as pa
    import pyarrow.parquet as pq

    part = next(p for p in json.loads((tmp_path / "parts" / "manifest.json").read_text())["parts"] if p["stratum"] == 2)
    table = pq.read_table(tmp_path / "parts" / part["file"])
    ids = table["id"].to_pylist()
    ids[0] = twice
    pq.write_table(pa.table({"id": ids, "unit": table["unit"]}), tmp_path / "parts" / part["file"])
    with pytest.raises(draw.ManifestError) as caught:
        draw_dask.compute(tmp_path / "parts", RANDOMNESS, client=client)
    assert caught.value.problems in (
        [f'检查对象 "{twice}" 出现了不止一次（分层 "D" 与分层 "C"）：每个对象至多属于一个分层'],
        [f'检查对象 "{twice}" 出现了不止一次（分层 "C" 与分层 "D"）：每个对象至多属于一个分层'],
    )


def test_an_unreadable_row_is_named_with_its_part_and_row(client, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    draw_dask.export(manifest(100, shuffled=False), tmp_path / "parts", part_rows=40)
    document = json.loads((tmp_path / "parts" / "manifest.json").read_text())
    part = document["parts"][2]
    table = pq.read_table(tmp_path / "parts" / part["file"])
    ids = table["id"].to_pylist()
    ids[6] = "9141０402MA000001"  # a full-width digit: not ASCII
    pq.write_table(pa.table({"id": ids, "unit": table["unit"]}), tmp_path / "parts" / part["file"])
    with pytest.raises(draw_dask.FolderError) as caught:
        draw_dask.compute(tmp_path / "parts", RANDOMNESS, client=client)
    assert str(caught.value) == (
        f"分片 parts[2] {part['file']} 第 7 行：id 必须是非空、只含 ASCII 字符的字符串，实际为 '9141０402MA000001'"
    )


def _jianguan(*args, **env):
    environ = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    environ.update(JIANGUAN_TESTING="1", **env)
    return subprocess.run([sys.executable, "-m", "jianguan", "draw", *args], capture_output=True, text=True,
                          env=environ, cwd=ROOT)


def test_the_command_line_on_a_scheduler_named_by_the_environment(client, tmp_path):
    m = manifest(300, shuffled=True)
    (tmp_path / "manifest.json").write_text(json.dumps(m, ensure_ascii=False), encoding="utf-8")
    exported = _jianguan("export", str(tmp_path / "manifest.json"), str(tmp_path / "parts"), "--part-rows", "70")
    assert exported.returncode == 0, exported.stderr
    assert "已导出 300 个检查对象，7 个分片" in exported.stderr
    ran = _jianguan("compute", str(tmp_path / "parts"), "--randomness", RANDOMNESS, "--engine", "dask",
                    "--output", str(tmp_path / "bundle.json"), JIANGUAN_DASK_SCHEDULER=client.scheduler.address)
    assert ran.returncode == 0, ran.stderr
    assert "[dask] 5/5 检查人员排序（负荷依次计算）：" in ran.stderr
    assert (tmp_path / "bundle.json").read_text(encoding="utf-8") == draw.dump_bundle(draw.compute(m, RANDOMNESS))
    assert _jianguan("verify", str(tmp_path / "bundle.json")).stdout.strip() == "验证通过 / verified"
    refused = _jianguan("export", str(tmp_path / "manifest.json"), str(tmp_path / "parts"))
    assert refused.returncode == 2 and "不是空的" in refused.stderr
