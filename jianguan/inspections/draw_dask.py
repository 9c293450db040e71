"""The national draw on Dask (distributed): ``jianguan-draw/1`` over a folder of Parquet parts (#23).

    jianguan draw export MANIFEST.json FOLDER [--part-rows N]                 # a manifest as Parquet parts
    jianguan draw compute FOLDER|MANIFEST.json --randomness R --engine dask [--output BUNDLE]
    jianguan draw compute FOLDER --randomness R --engine local                # the single-machine engine, same bundle

Why Dask: it installs with pip (no JVM on the bureau's machines), runs a ``LocalCluster`` of worker processes in
tests and on one server, and the same code connects to a real scheduler when ``JIANGUAN_DASK_SCHEDULER`` (or
``--scheduler``) names one (``tcp://host:8786``). Workers must import Jianguan (same version) and read the folder at the
same path (a shared file system); a JSON manifest given to ``--engine dask`` is first exported to
``JIANGUAN_DASK_SCRATCH`` (default: a temporary folder, which only a local cluster can read).

The bundle is **byte for byte** the one ``draw.py`` (the single-machine engine and the citizen's verifier) computes for
the same manifest — the tests compare both — so nothing about verification changes: ``draw.py verify`` checks it.

A folder manifest (format ``jianguan-draw-parquet/1``): ``manifest.json`` holds ``{"format", "manifest", "parts"}``
where ``manifest`` is the manifest with every stratum's ``candidates`` written as ``[]`` (key order kept: the bundle
publishes the manifest as given) and ``parts`` lists ``{"file", "stratum", "rows"}`` in manifest order: the candidates
of stratum ``stratum`` (its index in ``strata``), in order, are the rows of its parts in the order listed. A part has
two string columns, ``id`` and ``unit``; a candidate is therefore exactly ``{"id": …, "unit": …}``.

How the work is cut (no process ever holds the whole manifest):

1. every part is read, checked and sorted by id on a worker (one task per part);
2. unless the parts' id ranges are already disjoint (the usual export: candidates in id order), the sorted parts are
   cut at splitters taken from samples of every part and each range of ids is merged on one worker — candidates of all
   strata together, so a candidate appearing twice, even in two strata, is found there;
3. each (range, stratum) gives its piece of the canonical JSON (§1); the client process streams the pieces, in
   canonical order, through the single SHA-256 of the commitment — the one sequential step of v1 (see
   ``docs/draw-v2-proposal.md``): it holds one piece at a time;
4. tickets (§3) are computed per part on the workers, each keeping only the tickets below a bound (as draw.py does),
   so only a little more than the quota comes back to the client;
5. the ranking of inspectors (§4) is computed on the workers in chunks; the loads — sequential by definition — are
   applied in the client by ``draw._teams``, the very code of the single-machine engine;
6. the bundle is written as it is encoded, each part's candidates as JSON made by a worker.

Progress (tasks done / total, per stage) is printed on standard error.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import pickle
import re
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from operator import getitem
from pathlib import Path

from jianguan.inspections import draw

FORMAT = "jianguan-draw-parquet/1"
HEADER = "manifest.json"
PART_ROWS = 1_000_000  # rows per Parquet part written by export (≈ 40 MB of Arrow memory on a worker)
SCHEDULER_ENV = "JIANGUAN_DASK_SCHEDULER"
SCRATCH_ENV = "JIANGUAN_DASK_SCRATCH"
_GATHER = 8  # canonical pieces fetched per round trip while the commitment is streamed
_SAMPLES_PER_RANGE = 32  # ids sampled per part and per range of ids to cut at
_ESCAPED = re.compile(r'[\x00-\x1f"\\]')  # what json.dumps escapes (ensure_ascii=False)


class FolderError(ValueError):
    """A folder manifest that cannot be read; the message says which file, row or field."""


# ====================================================================================================================
# Export and reading (the single-machine side)


def export(manifest: dict, folder: str | os.PathLike, *, part_rows: int = PART_ROWS) -> dict:
    """Write ``manifest`` as a folder of Parquet parts; returns the header written. Refuses an invalid manifest."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    problems = draw.validate_manifest(manifest)
    if problems:
        raise draw.ManifestError(problems)
    for index, stratum in enumerate(manifest["strata"]):
        for position, candidate in enumerate(stratum["candidates"]):
            if len(candidate) != 2 or next(iter(candidate)) != "id":
                raise FolderError(
                    f"strata[{index}].candidates[{position}] 的字段必须依次为 id、unit（Parquet 分片只有这两列），"
                    f"实际为 {list(candidate)}"
                )
    if part_rows < 1:
        raise FolderError("--part-rows 必须 ≥ 1")
    folder = Path(folder)
    if folder.exists() and any(folder.iterdir()):
        raise FolderError(f"目录 {folder} 不是空的：导出不会覆盖已有文件")
    folder.mkdir(parents=True, exist_ok=True)
    header = {key: value for key, value in manifest.items()}
    header["strata"] = [{**stratum, "candidates": []} for stratum in manifest["strata"]]
    parts = []
    for index, stratum in enumerate(manifest["strata"]):
        candidates = stratum["candidates"]
        for start in range(0, len(candidates), part_rows):
            chunk = candidates[start : start + part_rows]
            name = f"s{index:04d}-p{start // part_rows:06d}.parquet"
            table = pa.table({"id": [c["id"] for c in chunk], "unit": [c["unit"] for c in chunk]})
            pq.write_table(table, folder / name, row_group_size=part_rows)
            parts.append({"file": name, "stratum": index, "rows": len(chunk)})
    document = {"format": FORMAT, "manifest": header, "parts": parts}
    (folder / HEADER).write_text(json.dumps(document, ensure_ascii=False, indent=1), encoding="utf-8")
    return document


def read_header(folder: str | os.PathLike) -> tuple[dict, list[dict]]:
    """(manifest without candidates, parts) of a folder manifest, checked; FolderError names what is wrong."""
    folder = Path(folder)
    try:
        document = draw.load_json(str(folder / HEADER))
    except draw.InputError as exc:
        raise FolderError(str(exc)) from exc
    where = str(folder / HEADER)
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise FolderError(f"{where}：format 必须是 {FORMAT!r}")
    header, parts = document.get("manifest"), document.get("parts")
    problems, _ids, _units = draw._validate(header)
    if problems:
        raise FolderError(f"{where}：manifest 无效：" + "；".join(problems))
    if any(stratum["candidates"] != [] for stratum in header["strata"]):
        raise FolderError(f"{where}：manifest 中每个分层的 candidates 必须是 []（检查对象在 Parquet 分片中）")
    if not isinstance(parts, list):
        raise FolderError(f"{where}：parts 必须是数组")
    for number, part in enumerate(parts):
        here = f"{where}：parts[{number}]"
        if not isinstance(part, dict) or set(part) != {"file", "stratum", "rows"}:
            raise FolderError(f"{here} 必须是含 file、stratum、rows 三个字段的对象")
        name = part["file"]
        if not isinstance(name, str) or not name.endswith(".parquet") or "/" in name or "\\" in name or name[0] == ".":
            raise FolderError(f"{here}.file 必须是本目录中的 .parquet 文件名，实际为 {name!r}")
        if not draw._is_int(part["stratum"]) or not 0 <= part["stratum"] < len(header["strata"]):
            raise FolderError(f"{here}.stratum 必须是 0 到 {len(header['strata']) - 1} 的分层序号")
        if not draw._is_int(part["rows"]) or part["rows"] < 0:
            raise FolderError(f"{here}.rows 必须是 ≥ 0 的整数")
        if not (folder / name).is_file():
            raise FolderError(f"{here}：分片文件 {folder / name} 不存在")
    return header, parts


def read_manifest(folder: str | os.PathLike) -> dict:
    """The whole manifest of a folder, as ``draw.compute`` takes it (the single-machine engine; memory grows with it)."""
    import pyarrow.parquet as pq

    header, parts = read_header(folder)
    manifest = dict(header)
    manifest["strata"] = [{**stratum, "candidates": []} for stratum in header["strata"]]
    for part in parts:
        table = pq.read_table(Path(folder) / part["file"], columns=["id", "unit"])
        manifest["strata"][part["stratum"]]["candidates"] += [
            {"id": ident, "unit": unit} for ident, unit in zip(table["id"].to_pylist(), table["unit"].to_pylist())
        ]
    return manifest


# ====================================================================================================================
# Worker tasks (pure functions of their arguments; they run in Dask's worker processes)


def _json_objects(ids: list[str], units: list[str]) -> str:
    """``{"id":…,"unit":…},{…}`` — json.dumps of these candidates without the brackets, compact (= canonical here)."""
    if not ids:
        return ""
    if not _ESCAPED.search("".join(ids)) and not _ESCAPED.search("".join(units)):
        return '{"id":"' + '"},{"id":"'.join(map('","unit":"'.join, zip(ids, units))) + '"}'
    return draw._compact([{"id": ident, "unit": unit} for ident, unit in zip(ids, units)])[1:-1]


def _read_part(path: str, stratum: int, rows: int, label: str):
    """The part as a table (id, unit, stratum) sorted by id, checked; FolderError names the file and row."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except (OSError, pa.ArrowInvalid) as exc:
        raise FolderError(f"{label}：无法读取 Parquet 文件：{exc}") from exc
    for column in ("id", "unit"):
        if column not in table.column_names:
            raise FolderError(f"{label}：缺少列 {column}")
        if not pa.types.is_string(table[column].type) and not pa.types.is_large_string(table[column].type):
            raise FolderError(f"{label}：列 {column} 必须是字符串，实际为 {table[column].type}")
    if set(table.column_names) != {"id", "unit"}:
        raise FolderError(f"{label}：只能有 id、unit 两列，实际为 {table.column_names}")
    if table.num_rows != rows:
        raise FolderError(f"{label}：manifest.json 写明 {rows} 行，文件实际 {table.num_rows} 行")
    table = table.select(["id", "unit"]).combine_chunks()
    for column in ("id", "unit"):
        values = table[column].combine_chunks()
        bad = pc.or_kleene(pc.is_null(values), pc.equal(pc.utf8_length(values), 0))
        if column == "id":
            bad = pc.or_kleene(bad, pc.invert(pc.string_is_ascii(values)))
        bad = pc.fill_null(bad, True)
        if pc.any(bad).as_py():
            row = pc.indices_nonzero(bad)[0].as_py()
            rule = "非空、只含 ASCII 字符的字符串" if column == "id" else "非空字符串"
            raise FolderError(f"{label} 第 {row + 1} 行：{column} 必须是{rule}，实际为 {values[row].as_py()!r}")
    table = table.append_column("stratum", pa.array([stratum] * table.num_rows, pa.int32()))
    return table.take(pc.sort_indices(table["id"]))


def _describe(table, samples: int) -> dict:
    """Rows, smallest and largest id, and ``samples`` evenly spaced ids of a sorted part."""
    rows = table.num_rows
    ids = table["id"]
    picks = sorted({rows * k // samples for k in range(samples)}) if rows else []
    return {
        "rows": rows,
        "min": ids[0].as_py() if rows else None,
        "max": ids[rows - 1].as_py() if rows else None,
        "samples": [ids[k].as_py() for k in picks],
    }


def _first_at_least(ids, value: str) -> int:
    """Index of the first id ≥ value in a sorted array (binary search)."""
    low, high = 0, len(ids)
    while low < high:
        middle = (low + high) // 2
        if ids[middle].as_py() < value:
            low = middle + 1
        else:
            high = middle
    return low


def _cut(table, splitters: list[str]) -> list:
    """A sorted part cut into len(splitters) + 1 ranges of ids: range k holds splitters[k-1] ≤ id < splitters[k]."""
    ids = table["id"]
    bounds = [0, *(_first_at_least(ids, value) for value in splitters), table.num_rows]
    return [table.slice(low, high - low) for low, high in zip(bounds, bounds[1:])]


def _merge(*tables):
    """One range of ids, from every part, sorted by id."""
    import pyarrow as pa
    import pyarrow.compute as pc

    table = pa.concat_tables(tables).combine_chunks()
    return table.take(pc.sort_indices(table["id"]))


def _duplicates(table, limit: int = draw.MAX_PROBLEMS) -> list[tuple[str, int, int]]:
    """(id, stratum, stratum) of ids appearing more than once in a sorted range."""
    import pyarrow.compute as pc

    rows = table.num_rows
    if rows < 2:
        return []
    ids = table["id"].combine_chunks()
    same = pc.equal(ids.slice(1), ids.slice(0, rows - 1))
    if not pc.any(same).as_py():
        return []
    strata = table["stratum"].combine_chunks()
    return [(ids[k].as_py(), strata[k].as_py(), strata[k + 1].as_py()) for k in pc.indices_nonzero(same)[:limit].to_pylist()]


def _canonical_piece(table, stratum: int) -> bytes:
    """The canonical JSON of this range's candidates of ``stratum`` (sorted by id), without brackets."""
    import pyarrow.compute as pc

    mine = table.filter(pc.equal(table["stratum"], stratum))
    return _json_objects(mine["id"].to_pylist(), mine["unit"].to_pylist()).encode()


def _part_json(path: str) -> str:
    """A part's candidates as compact JSON, in the order given (the bundle publishes the manifest as given)."""
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["id", "unit"])
    return _json_objects(table["id"].to_pylist(), table["unit"].to_pylist())


def _part_tickets(path: str, seed_bytes: bytes, bound: bytes) -> bytes:
    """(ticket key, unit) of the candidates of a part whose ticket is below ``bound`` — draw._tickets_below itself."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = pq.read_table(path, columns=["id", "unit"])
    names = pc.cast(table["id"], pa.binary()).to_pylist()
    found = draw._tickets_below(seed_bytes, names, bound, 0)
    units = table["unit"].take([position for _key, position in found]).to_pylist() if found else []
    # one pickled blob: Dask would serialize a list of bytes item by item (a frame each), which took most of the time
    return pickle.dumps([(key, unit) for (key, _position), unit in zip(found, units)], pickle.HIGHEST_PROTOCOL)


def _ranks(task: tuple, job) -> bytes:
    """draw._ranks_task on a worker, its result as one pickled blob (see _part_tickets)."""
    return pickle.dumps(draw._ranks_task(task, job), pickle.HIGHEST_PROTOCOL)


# ====================================================================================================================
# Progress


class Progress:
    """Prints ``stage：done/total 个任务`` on a text stream, at most every ``interval`` seconds and at each stage's end."""

    def __init__(self, stream=None, interval: float = 1.0) -> None:
        self.stream = stream
        self.interval = interval
        self.lines: list[str] = []

    def __call__(self, stage: str, done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and self.lines and now - getattr(self, "_last", 0) < self.interval:
            return
        self._last = now
        line = f"[dask] {stage}：{done}/{total} 个任务"
        self.lines.append(line)
        if self.stream is not None:
            print(line, file=self.stream, flush=True)


def _wait(futures: list, stage: str, progress: Callable[[str, int, int], None]) -> None:
    """Wait for every future, reporting each completion; the first failure is raised (FolderError as it is)."""
    from distributed import as_completed

    total = len(futures)
    progress(stage, 0, total)
    for done, future in enumerate(as_completed(futures), 1):
        if future.status == "error":
            future.result()  # raises the task's exception
        progress(stage, done, total)


# ====================================================================================================================
# The draw on a cluster


class Draw:
    """A draw computed on the cluster: everything of the bundle but the candidates, which stay in the parts."""

    def __init__(self, client, folder: Path, header: dict, parts: list[dict]) -> None:
        self.client = client
        self.folder = folder
        self.header = header
        self.parts = parts
        self.sizes = [0] * len(header["strata"])
        for part in parts:
            self.sizes[part["stratum"]] += part["rows"]
        self.commitment = ""
        self.randomness = ""
        self.seed = b""
        self.selected: list[dict] = []
        self.unassigned: list[str] = []

    def path(self, part: dict) -> str:
        return str(self.folder / part["file"])

    def label(self, number: int) -> str:
        return f"分片 parts[{number}] {self.parts[number]['file']}"

    # --- bundle ------------------------------------------------------------------------------------------------------

    def candidates(self) -> int:
        return sum(self.sizes)

    def pieces(self, progress: Callable[[str, int, int], None] = lambda *a: None) -> Iterator[str]:
        """The published text of the bundle, exactly ``draw.bundle_pieces`` of the same draw."""
        if self.candidates() <= draw.PRETTY_MAX_CANDIDATES:
            yield from draw.bundle_pieces(self._small_bundle())
            return
        texts = iter(self._part_texts(progress))
        yield '{"manifest":'
        opening = "{"
        for key, value in self.header.items():
            yield opening + draw._compact(key) + ":"
            opening = ","
            if key != "strata":
                yield draw._compact(value)
                continue
            yield "["
            for index, stratum in enumerate(value):
                yield "," if index else ""
                inner = "{"
                for field, item in stratum.items():
                    yield inner + draw._compact(field) + ":"
                    inner = ","
                    if field != "candidates":
                        yield draw._compact(item)
                        continue
                    yield "["
                    first = True
                    for part in self.parts:
                        if part["stratum"] == index:
                            text = next(texts)
                            if text:
                                yield text if first else "," + text
                                first = False
                    yield "]"
                yield "}"
            yield "]"
        yield "}"
        for key, value in (("commitment", self.commitment), ("randomness", self.randomness), ("seed", self.seed.hex())):
            yield f",{draw._compact(key)}:{draw._compact(value)}"
        yield ',"selected":'
        yield from draw._pieces(self.selected)
        yield ',"unassigned":'
        yield from draw._pieces(self.unassigned)
        yield "}"

    def _part_texts(self, progress) -> Iterator[str]:
        """Each part's candidates as JSON, in the order the strata list their parts (a few parts ahead at a time)."""
        order = [part for index in range(len(self.header["strata"])) for part in self.parts if part["stratum"] == index]
        window = 4
        futures = [self.client.submit(_part_json, self.path(part), pure=False) for part in order[:window]]
        for number in range(len(order)):
            if number + window < len(order):
                futures.append(self.client.submit(_part_json, self.path(order[number + window]), pure=False))
            yield futures[number].result()
            futures[number] = None
            progress("写出 bundle（各分片的检查对象）", number + 1, len(order))

    def _small_bundle(self) -> dict:
        texts = iter(self._part_texts(lambda *a: None))
        manifest = dict(self.header)
        manifest["strata"] = [{**stratum, "candidates": []} for stratum in self.header["strata"]]
        for index in range(len(manifest["strata"])):
            for part in self.parts:
                if part["stratum"] == index:
                    text = next(texts)
                    if text:
                        manifest["strata"][index]["candidates"] += json.loads("[" + text + "]")
        return {
            "manifest": manifest,
            "commitment": self.commitment,
            "randomness": self.randomness,
            "seed": self.seed.hex(),
            "selected": self.selected,
            "unassigned": self.unassigned,
        }

    def write(self, handle, progress=lambda *a: None) -> None:
        for piece in self.pieces(progress):
            handle.write(piece)


def compute(
    folder: str | os.PathLike,
    randomness: str,
    *,
    client,
    progress: Callable[[str, int, int], None] = lambda *a: None,
    ranges: int | None = None,
) -> Draw:
    """Run ``jianguan-draw/1`` on the folder manifest with the Dask ``client``. Raises draw.ManifestError (invalid
    manifest: duplicates) or FolderError (unreadable folder). ``ranges``: how many ranges of ids the parts are cut
    into when their ranges overlap (default: one per part)."""
    if not isinstance(randomness, str):
        raise TypeError(f"randomness 必须是字符串（与随机源公布的完全一致），实际为 {type(randomness).__name__}")
    folder = Path(folder)
    header, parts = read_header(folder)
    result = Draw(client, folder, header, parts)
    result.randomness = randomness
    strata = header["strata"]
    submit = client.submit

    # 1. read, check and sort every part
    ranges = max(1, ranges or len(parts))
    tables = [
        submit(_read_part, result.path(part), part["stratum"], part["rows"], result.label(n), pure=False)
        for n, part in enumerate(parts)
    ]
    infos = [submit(_describe, table, _SAMPLES_PER_RANGE * ranges, pure=False) for table in tables]
    _wait(infos, "1/5 读取、校验并按 id 排序各分片", progress)
    infos = client.gather(infos)

    # 2. ranges of ids: the parts themselves when they do not overlap, else cut at splitters and merged
    filled = sorted((info["min"], info["max"], n) for n, info in enumerate(infos) if info["rows"])
    if all(previous[1] < following[0] for previous, following in zip(filled, filled[1:])):
        merged = [tables[n] for _low, _high, n in filled]
    else:
        samples = sorted(value for info in infos for value in info["samples"])
        splitters = sorted({samples[len(samples) * k // ranges] for k in range(1, ranges)})
        cuts = [submit(_cut, table, splitters, pure=False) for table in tables]
        pieces = [[submit(getitem, cut, k, pure=False) for cut in cuts] for k in range(len(splitters) + 1)]
        merged = [submit(_merge, *row, pure=False) for row in pieces]
        del cuts, pieces
    del tables
    duplicates = [submit(_duplicates, table, pure=False) for table in merged]
    _wait(duplicates, "2/5 按 id 区间合并并查重", progress)
    found = [item for future in duplicates for item in future.result()]
    if found:
        raise draw.ManifestError(
            [
                f"检查对象 {draw._show(ident)} 出现了不止一次（分层 {draw._show(strata[a]['name'])} 与分层 "
                f"{draw._show(strata[b]['name'])}）：每个对象至多属于一个分层"
                for ident, a, b in found[: draw.MAX_PROBLEMS]
            ]
        )

    # 3. the commitment: one SHA-256 over the canonical pieces, in order
    names = sorted(range(len(strata)), key=lambda index: strata[index]["name"])
    canonical = [[submit(_canonical_piece, table, index, pure=False) for table in merged] for index in names]
    del merged
    total = sum(map(len, canonical))
    counter = {"done": 0}

    def stratum_candidates(row: list) -> Iterator[bytes]:
        yield b"["
        first = True
        for start in range(0, len(row), _GATHER):  # a few pieces per round trip, in order
            for piece in client.gather(row[start : start + _GATHER]):
                counter["done"] += 1
                progress("3/5 规范 JSON 逐段计入承诺值（SHA-256）", counter["done"], total)
                if piece:
                    yield piece if first else b"," + piece
                    first = False
            row[start : start + _GATHER] = [None] * len(row[start : start + _GATHER])  # hashed: the cluster forgets it
        yield b"]"

    def strata_pieces() -> Iterator[bytes]:
        yield b"["
        for number, (index, row) in enumerate(zip(names, canonical)):
            if number:
                yield b","
            yield from draw._object_pieces(strata[index], "candidates", stratum_candidates(row))
        yield b"]"

    canonical_header = {
        **header,
        "inspectors": sorted(header["inspectors"], key=draw._by_id),
        "conflicts": draw._sorted_conflicts(header["conflicts"]),
    }
    digest = hashlib.sha256()
    with draw._json_problems():
        for piece in draw._object_pieces(canonical_header, "strata", strata_pieces()):
            digest.update(piece)
    result.commitment = digest.hexdigest()
    result.seed = draw.seed(result.commitment, randomness)

    # 4. tickets below the bound of each stratum, per part; selection
    quotas = [stratum["quota"] for stratum in strata]
    bounds = [draw._bound(quota, size) for quota, size in zip(quotas, result.sizes)]
    found_by: list[list[tuple[bytes, str]]] = [[] for _ in strata]
    wanted = [index for index, quota in enumerate(quotas) if quota > 0 and result.sizes[index]]
    for attempt in (bounds, [draw._KEEP_ALL] * len(strata)):
        jobs = [
            (part["stratum"], submit(_part_tickets, result.path(part), result.seed, attempt[part["stratum"]], pure=False))
            for part in parts
            if part["stratum"] in wanted and part["rows"]
        ]
        _wait([future for _index, future in jobs], "4/5 计算抽签号（低于界限者返回）", progress)
        for index in wanted:
            found_by[index] = []
        # one gather for all: a round trip per future costs ~0.2 s on a busy 2-core machine (profiled)
        for (index, _future), found in zip(jobs, client.gather([future for _index, future in jobs])):
            found_by[index] += pickle.loads(found)  # our own workers' output
        # too few below the bound (astronomically rare): that stratum again, keeping every ticket
        wanted = [index for index in wanted if len(found_by[index]) < min(quotas[index], result.sizes[index])]
        if not wanted:
            break
    chosen = []
    for index, stratum in enumerate(strata):
        found_by[index].sort()
        chosen += [(key, stratum["name"], unit) for key, unit in found_by[index][: quotas[index]]]
    chosen.sort()
    del found_by

    # 5. assignment: rankings on the workers, loads in order here
    job = draw._Job(header, [[] for _ in strata], [[] for _ in strata])
    keep = header["team_size"] + 4
    order = [(key[draw._TICKET_SIZE :].decode("ascii"), unit) for key, _name, unit in chosen]
    shared = client.scatter(job, broadcast=True)
    chunk = max(1, -(-len(order) // max(1, 4 * len(client.nthreads()))))
    rank_futures = [
        submit(_ranks, (result.seed, keep, order[start : start + chunk]), shared, pure=False)
        for start in range(0, len(order), chunk)
    ]
    _wait(rank_futures, "5/5 检查人员排序（负荷依次计算）", progress)
    rankings = [ranks for blob in client.gather(rank_futures) for ranks in pickle.loads(blob)]
    teams = draw._teams(job, result.seed, order, rankings)
    result.selected = [
        {"stratum": name, "id": ident, "ticket": key[: draw._TICKET_SIZE].hex(), "inspectors": team}
        for (key, name, _unit), (ident, _unit2), team in zip(chosen, order, teams)
    ]
    result.unassigned = [ident for (ident, _unit), team in zip(order, teams) if not team]
    return result


# ====================================================================================================================
# Client and command line


def connect(scheduler: str | None = None, workers: int | None = None):
    """(client, cluster or None): the scheduler named (argument or JIANGUAN_DASK_SCHEDULER), else a LocalCluster of
    ``workers`` processes (default: the cores this process may use), one thread each."""
    from distributed import Client, LocalCluster

    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if address:
        return Client(address), None
    if workers is None:
        try:
            workers = len(os.sched_getaffinity(0))
        except AttributeError:
            workers = os.cpu_count() or 1
    cluster = LocalCluster(
        n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=40
    )
    return Client(cluster), cluster


def wants(argv: list[str]) -> bool:
    """Whether ``jianguan draw ARGS`` is for this module (export, --engine, or a folder manifest) rather than draw.py."""
    if argv[:1] == ["export"]:
        return True
    if argv[:1] != ["compute"]:
        return False
    return any(arg == "--engine" or arg.startswith("--engine=") for arg in argv) or (
        len(argv) > 1 and os.path.isdir(argv[1])
    )


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="jianguan draw", description="双随机抽取：Parquet 分片导出与分布式计算（Dask）")
    commands = parser.add_subparsers(dest="command", required=True)
    out = commands.add_parser("export", help="把 manifest 导出为 Parquet 分片目录")
    out.add_argument("manifest")
    out.add_argument("folder")
    out.add_argument("--part-rows", type=int, default=PART_ROWS, help=f"每个分片的行数（默认 {PART_ROWS:,}）")
    run = commands.add_parser("compute", help="计算 bundle")
    run.add_argument("manifest", help="manifest 的 JSON 文件，或 Parquet 分片目录")
    run.add_argument("--randomness", required=True)
    run.add_argument("--output")
    run.add_argument("--engine", choices=("local", "dask"), default="local")
    run.add_argument("--scheduler", help=f"Dask 调度器地址（默认取环境变量 {SCHEDULER_ENV}；都没有则在本机起集群）")
    run.add_argument("--workers", type=int, help="本机集群的工作进程数（默认：可用核数）")
    run.add_argument("--quiet", action="store_true", help="不打印进度")
    args = parser.parse_args(argv)
    try:
        if args.command == "export":
            document = export(draw.load_json(args.manifest), args.folder, part_rows=args.part_rows)
            print(f"已导出 {sum(p['rows'] for p in document['parts']):,} 个检查对象，{len(document['parts'])} 个分片：{args.folder}",
                  file=sys.stderr)
            return 0
        if args.engine == "local":
            manifest = read_manifest(args.manifest) if os.path.isdir(args.manifest) else draw.load_json(args.manifest)
            bundle = draw.compute(manifest, args.randomness)
            return _emit(lambda handle: draw.write_bundle(bundle, handle), bundle["commitment"], args.output)
        return _compute_dask(args)
    except draw.ManifestError as exc:
        print("错误 / error：manifest 无效：\n" + "\n".join(f"- {p}" for p in exc.problems), file=sys.stderr)
    except (draw.InputError, FolderError, OSError) as exc:
        print(f"错误 / error：{exc}", file=sys.stderr)
    return 2


def _compute_dask(args) -> int:
    progress = Progress(None if args.quiet else sys.stderr)
    scratch = None
    folder = args.manifest
    if not os.path.isdir(folder):
        scratch = tempfile.mkdtemp(prefix="jianguan-draw-", dir=os.environ.get(SCRATCH_ENV) or None)
        export(draw.load_json(folder), Path(scratch) / "manifest", part_rows=PART_ROWS)
        folder = str(Path(scratch) / "manifest")
    client, cluster = connect(args.scheduler, args.workers)
    try:
        result = compute(folder, args.randomness, client=client, progress=progress)
        return _emit(lambda handle: result.write(handle, progress), result.commitment, args.output)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
        if scratch:
            shutil.rmtree(scratch, ignore_errors=True)


def _emit(write: Callable[[object], None], commitment: str, output: str | None) -> int:
    """Write the bundle as draw.main does: to the file (no final newline), or to standard output with one."""
    if output:
        with open(output, "w", encoding="utf-8", newline="\n") as handle:
            write(handle)
        print(f"bundle 已写入 {output}（commitment {commitment}）", file=sys.stderr)
    else:
        write(sys.stdout)
        sys.stdout.write("\n")
    return 0


def bundle_text(folder: str | os.PathLike, randomness: str, *, client, progress=lambda *a: None) -> str:
    """The published text of the bundle computed on the cluster (for tests and benchmarks of modest size)."""
    handle = io.StringIO()
    compute(folder, randomness, client=client, progress=progress).write(handle, progress)
    return handle.getvalue()


__all__: Iterable[str] = ("FORMAT", "Draw", "FolderError", "Progress", "bundle_text", "compute", "connect", "export",
                          "main", "read_header", "read_manifest", "wants")
