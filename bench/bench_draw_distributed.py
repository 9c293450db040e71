"""Benchmark of the draw on Dask (``inspections/draw_dask.py``, #23) against the single-machine engine (``draw.py``).

    .venv/bin/python bench/bench_draw_distributed.py --sizes 10000000 [--workers 2] [--part-rows 1000000] [--shuffled]

For each size: the manifest of ``bench_draw.py`` (four risk strata, one station per 10,000 candidates, teams of two),
then

1. the single-machine engine, ``draw.compute(manifest, R, workers=W)`` (forked helpers on W cores), and the bundle
   text it publishes (``draw.bundle_pieces``), hashed rather than kept;
2. the manifest exported as Parquet parts of ``--part-rows`` rows (not timed against anything: the bureau's export);
3. ``draw_dask.compute`` on a LocalCluster of W worker processes (one thread each) over those parts, and its bundle
   text, hashed — the two SHA-256 must be equal (byte-identical bundles), else the benchmark fails;
4. every task's compute time from Dask's task stream, per stage and per part, and from them the projection for
   188,000,000 candidates on N workers: the parallel work scaled by 18.8 and divided by N, plus the client's
   sequential work (the commitment's single SHA-256 stream, selection, loads, writing) scaled by 18.8.

``--shuffled`` writes every stratum's candidates in random order, so the parts' id ranges overlap and the cluster
cuts and merges ranges of ids (the general case); by default the parts are in id order (as plans write them).
The naive baseline is the single-machine engine itself (the ratio printed is single / dask: ≥ 1 means the cluster
is at least as fast on the same cores).
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import random
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_draw import RANDOMNESS, build_manifest  # noqa: E402

from jianguan.inspections import draw, draw_dask  # noqa: E402

NATION = 188_000_000


def _hash_pieces(pieces) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    for piece in pieces:
        data = piece.encode()
        size += len(data)
        digest.update(data)
    return digest.hexdigest(), size


def _stage_of(key: str) -> str:
    name = key[0] if isinstance(key, tuple) else key
    return str(name).split("-", 1)[0]  # "<function>-<uuid>" (submit with pure=False)


def bench(n: int, *, workers: int, part_rows: int, shuffled: bool, scratch: Path) -> None:
    print(f"\n== 分布式抽取：{n:,} 个候选对象，{workers} 个工作进程，每分片 {part_rows:,} 行"
          f"{'，分片 id 区间重叠（乱序）' if shuffled else '，分片按 id 有序'} ==")
    started = time.perf_counter()
    manifest, quotas = build_manifest(n, stations=max(1, n // 10_000))
    if shuffled:
        rng = random.Random(7)
        for stratum in manifest["strata"]:
            rng.shuffle(stratum["candidates"])
    print(f"  构造清单 {time.perf_counter() - started:.1f} s（不计入）；抽取 {sum(quotas.values()):,} 个")

    gc.collect()
    started = time.perf_counter()
    bundle = draw.compute(manifest, RANDOMNESS, workers=workers)
    t_single = time.perf_counter() - started
    started = time.perf_counter()
    single_hash, size = _hash_pieces(draw.bundle_pieces(bundle))
    t_single_write = time.perf_counter() - started
    print(f"  单机引擎 draw.compute（{workers} 个进程）: {t_single:.2f} s；bundle 文本 {size / 1e6:,.0f} MB 生成 {t_single_write:.2f} s")
    del bundle

    folder = scratch / f"parts-{n}"
    started = time.perf_counter()
    draw_dask.export(manifest, folder, part_rows=part_rows)
    parts = len(list(folder.glob("*.parquet")))
    print(f"  导出 Parquet：{parts} 个分片，{sum(f.stat().st_size for f in folder.iterdir()) / 1e6:,.0f} MB，"
          f"{time.perf_counter() - started:.1f} s（不计入）")
    del manifest
    gc.collect()

    from distributed import get_task_stream

    client, cluster = draw_dask.connect(workers=workers)
    try:
        client.run(gc.collect)
        marks: list[tuple[float, str]] = []

        def progress(stage: str, done: int, total: int) -> None:
            if done == total:
                marks.append((time.perf_counter(), stage))

        with get_task_stream(client) as stream:
            t0 = started = time.perf_counter()
            result = draw_dask.compute(folder, RANDOMNESS, client=client, progress=progress)
            t_dask = time.perf_counter() - started
            started_write = time.perf_counter()
            dask_hash, dask_size = _hash_pieces(result.pieces())
            t_dask_write = time.perf_counter() - started_write
        assert (dask_hash, dask_size) == (single_hash, size), "bundle 与单机引擎的不一致！"
        print(f"  Dask draw_dask.compute（LocalCluster {workers} 进程）: {t_dask:.2f} s；bundle 文本生成 {t_dask_write:.2f} s；"
              f"SHA-256 与单机一致 ✔ {dask_hash[:16]}…")
        for at, stage in marks:
            print(f"    {stage}：累计 {at - t0:.2f} s")

        per_stage: dict[str, list[float]] = defaultdict(list)
        for task in stream.data:
            for span in task.get("startstops", ()):
                if span["action"] == "compute":
                    per_stage[_stage_of(task["key"])].append(span["stop"] - span["start"])
        busy = sum(sum(times) for times in per_stage.values())
        print("  各类任务的计算时间（Dask 任务流；每分片/每区间一个任务）：")
        for stage, times in sorted(per_stage.items(), key=lambda item: -sum(item[1])):
            times.sort()
            print(f"    {stage:<18} {len(times):>4} 个  合计 {sum(times):7.2f} s  中位 {times[len(times) // 2]:.3f} s  "
                  f"最长 {times[-1]:.3f} s")
        total = t_dask + t_dask_write
        sequential = max(0.0, total - busy / workers)  # what the workers' busy time does not explain: the client
        print(f"  工作进程忙 {busy:.1f} s（合 {busy / workers:.1f} s/进程）；客户端顺序部分（承诺值流、选取、负荷、写出、调度）"
              f"约 {sequential:.1f} s")
        canonical = sum(per_stage.get("_canonical_piece", [0]))
        digest = hashlib.sha256()
        block = b"x" * (1 << 24)
        started = time.perf_counter()
        for _ in range(16):
            digest.update(block)
        rate = 16 * len(block) / (time.perf_counter() - started)
        print(f"  本机单个 SHA-256 流：{rate / 1e6:,.0f} MB/s（承诺值是规范 JSON 的一个顺序流）；规范片段生成 {canonical:.1f} s")

        scale = NATION / n
        print(f"  全国 {NATION:,} 个候选对象的推算（工作量按 {scale:.1f} 倍线性放大；客户端顺序部分不随 N 缩短）：")
        for nodes in (2, 8, 32, 128):
            projected = busy * scale / nodes + sequential * scale
            print(f"    N = {nodes:>3} 个工作进程：约 {projected / 60:5.1f} min（并行 {busy * scale / nodes / 60:.1f} min + "
                  f"顺序 {sequential * scale / 60:.1f} min）")
        print(f"  对比单机引擎（同 {workers} 核）：单机 {t_single + t_single_write:.2f} s / Dask {total:.2f} s = "
              f"{(t_single + t_single_write) / total:.2f} ×（≥ 1 即不慢于单机）；只计抽取 {t_single / t_dask:.2f} ×")
    finally:
        client.close()
        cluster.close()
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000_000])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--part-rows", type=int, default=draw_dask.PART_ROWS)
    parser.add_argument("--shuffled", action="store_true")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-draw-dask-"))
    try:
        for n in args.sizes:
            bench(n, workers=args.workers, part_rows=args.part_rows, shuffled=args.shuffled, scratch=scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
