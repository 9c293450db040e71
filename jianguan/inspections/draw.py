"""Verifiable double-random draw, ``jianguan-draw/1`` (可验证的双随机抽取).

This file implements the specification ``draw-v1.md`` and is, at the same time, the standalone verifier published
on the public portal. It uses nothing but the Python standard library (3.10+), so anyone can check a published
draw without installing Jianguan:

    python3 draw.py verify bundle.json                       # prints 验证通过 / verified (exit 0) or every difference (exit 1)
    python3 draw.py compute manifest.json --randomness 415   # recomputes the bundle from a manifest

How the draw works (the specification is normative):

1. The manifest — strata of candidates with quotas, inspectors, conflicts of interest — is fixed, and its
   commitment, the SHA-256 of its canonical JSON form, is published before the public randomness exists.
2. seed = SHA-256(commitment + ":" + randomness), once the beacon (for example a lottery result) is published.
3. Every candidate gets the ticket SHA-256(seed || "E:" + id); each stratum selects its `quota` smallest tickets.
4. In ticket order, each selected candidate gets the `team_size` inspectors of its unit — not in conflict with it
   and below `max_tasks` — with the smallest SHA-256(seed || "I:" + candidate + ":" + inspector); a candidate for
   which no full team exists is listed as unassigned.

Nobody can steer the result: the candidates are fixed before the randomness exists, and everything after that is a
deterministic function that anyone can recompute. The result does not depend on the order of any list in the
manifest, on the machine, or on how many processes compute it.
"""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    # Run as a script, Python puts this file's folder first on sys.path, where a sibling module (in the Jianguan
    # source tree, for example, selectors.py) would shadow the standard library module of the same name.
    _folder = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [entry for entry in sys.path if os.path.abspath(entry or os.curdir) != _folder]

import argparse
import codecs
import gc
import hashlib
import json
import multiprocessing
import re
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from itertools import chain, islice, repeat
from operator import itemgetter, lt

ALGORITHM = "jianguan-draw/1"
BUNDLE_KEYS = ("manifest", "commitment", "randomness", "seed", "selected", "unassigned")
SELECTED_KEYS = ("stratum", "id", "ticket", "inspectors")
TEXT_FIELDS = ("plan", "batch", "beacon")
MAX_PROBLEMS = 200  # validate_manifest lists at most this many problems, then counts the rest
NOT_UTF8 = "manifest 无法写成规范 JSON：含有不成对的 UTF-16 代理字符，不能编码为 UTF-8"

PARALLEL_MIN_CANDIDATES = 300_000  # below this, helper processes cost more than they save
PARALLEL_MAX_WORKERS = 8

_by_id = itemgetter("id")
_by_unit = itemgetter("unit")


class ManifestError(ValueError):
    """The manifest breaks a rule of the specification; ``problems`` lists what is wrong, in Chinese."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("manifest 无效：" + "；".join(self.problems))

    def __reduce__(self) -> tuple:  # survive the trip back from a helper process
        return (type(self), (self.problems,))


# ====================================================================================================================
# Validation


class _Problems(list):
    """Problem messages; stops growing (but keeps counting) after MAX_PROBLEMS."""

    dropped = 0

    def add(self, message: str) -> None:
        if len(self) < MAX_PROBLEMS:
            self.append(message)
        else:
            self.dropped += 1

    def result(self) -> list[str]:
        return [*self, f"……另有 {self.dropped} 处问题未列出"] if self.dropped else list(self)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_text(value: object) -> bool:
    """A str that can be written as UTF-8 (JSON can smuggle in a lone surrogate such as "\\ud800")."""
    if not isinstance(value, str):
        return False
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def _show(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, default=repr)
    return text if len(text) <= 100 else text[:97] + "..."


def _check_entries(entries: object, where: str, problems: _Problems) -> tuple[list[str], list[str]]:
    """Check a list of candidates or inspectors, each {"id": ASCII text, "unit": text, ...}.

    Returns their ids and units (complete and in order only when no problem was found).
    """
    if not isinstance(entries, list):
        problems.add(f"{where} 必须是数组，实际为 {_show(entries)}")
        return [], []
    # Fast path for the usual case of many well-formed entries: a few passes in C, no Python loop.
    # (itemgetter fails on anything but a mapping, "".join on anything but str.)
    try:
        ids = list(map(_by_id, entries))
        units = list(map(_by_unit, entries))
        all_units = "".join(units)
        if "".join(ids).isascii() and all(ids) and all(units) and (all_units.isascii() or _is_text(all_units)):
            return ids, units
    except (KeyError, TypeError, IndexError):
        pass
    # Slow path: say exactly what is wrong with which entry.
    ids, units = [], []
    for index, entry in enumerate(entries):
        here = f"{where}[{index}]"
        if not isinstance(entry, dict):
            problems.add(f"{here} 必须是对象，实际为 {_show(entry)}")
            continue
        ident = entry.get("id")
        if not isinstance(ident, str) or not ident:
            problems.add(f"{here}.id 必须是非空字符串，实际为 {_show(ident)}")
        elif not ident.isascii():
            problems.add(f"{here}.id 只能包含 ASCII 字符，实际为 {_show(ident)}")
        else:
            ids.append(ident)
        if "unit" not in entry:
            problems.add(f"{here}.unit 缺失")
        elif not _is_text(entry["unit"]) or not entry["unit"]:
            problems.add(f"{here}.unit 必须是非空字符串，实际为 {_show(entry['unit'])}")
        else:
            units.append(entry["unit"])
    return ids, units


def _validate(manifest: object, *, unique: bool = True) -> tuple[list[str], list[list[str]], list[list[str]]]:
    """(problems, candidate ids per stratum, candidate units per stratum); compute() reuses the lists.

    With ``unique=False`` the check that no candidate appears twice is left to the caller (see _has_duplicates).
    """
    if not isinstance(manifest, dict):
        return [f"manifest 必须是 JSON 对象，实际为 {_show(manifest)}"], [], []
    problems = _Problems()

    if not all(isinstance(key, str) for key in manifest):
        problems.add("manifest 的键必须都是字符串")
    if manifest.get("algorithm") != ALGORITHM:
        problems.add(f"algorithm 必须是 {_show(ALGORITHM)}，实际为 {_show(manifest.get('algorithm'))}")
    for field in TEXT_FIELDS:
        if field not in manifest:
            problems.add(f"{field} 缺失")
        elif not _is_text(manifest[field]):
            problems.add(f"{field} 必须是字符串，实际为 {_show(manifest[field])}")
    if manifest.get("beacon") == "":
        problems.add("beacon 不能为空：必须事先写明将采用的公开随机源")
    for field in ("team_size", "max_tasks"):
        value = manifest.get(field)
        if not _is_int(value) or value < 1:
            problems.add(f"{field} 必须是 ≥ 1 的整数，实际为 {_show(value)}")

    strata = manifest.get("strata")
    if not isinstance(strata, list):
        problems.add(f"strata 必须是数组，实际为 {_show(strata)}")
        strata = []
    all_ids: list[list[str]] = []
    all_units: list[list[str]] = []
    names: set[str] = set()
    for index, stratum in enumerate(strata):
        here = f"strata[{index}]"
        if not isinstance(stratum, dict):
            problems.add(f"{here} 必须是对象，实际为 {_show(stratum)}")
            continue
        if not all(isinstance(key, str) for key in stratum):
            problems.add(f"{here} 的键必须都是字符串")
        name = stratum.get("name")
        if not _is_text(name) or not name:
            problems.add(f"{here}.name 必须是非空字符串，实际为 {_show(name)}")
        elif name in names:
            problems.add(f"{here}.name 重复：{_show(name)}（分层名称必须唯一）")
        else:
            names.add(name)
        quota = stratum.get("quota")
        if not _is_int(quota) or quota < 0:
            problems.add(f"{here}.quota 必须是 ≥ 0 的整数，实际为 {_show(quota)}")
        ids, units = _check_entries(stratum.get("candidates"), f"{here}.candidates", problems)
        all_ids.append(ids)
        all_units.append(units)
    if unique and _has_duplicates(all_ids):
        _report_duplicate_candidates(strata, problems)

    inspector_ids, _units = _check_entries(manifest.get("inspectors"), "inspectors", problems)
    if len(set(inspector_ids)) != len(inspector_ids):
        seen: set[str] = set()
        for ident in inspector_ids:
            if ident in seen:
                problems.add(f"inspectors 中 id 重复：{_show(ident)}")
            seen.add(ident)

    conflicts = manifest.get("conflicts")
    if not isinstance(conflicts, list):
        problems.add(f"conflicts 必须是数组，实际为 {_show(conflicts)}")
    else:
        for index, pair in enumerate(conflicts):
            if not (isinstance(pair, list | tuple) and len(pair) == 2 and all(map(_is_text, pair))):
                problems.add(f"conflicts[{index}] 必须是 [检查人员 id, 检查对象 id] 两个字符串，实际为 {_show(pair)}")
    return problems.result(), all_ids, all_units


def _has_duplicates(id_lists: Iterable[list]) -> bool:
    unique: set = set()
    total = 0
    for ids in id_lists:
        unique.update(ids)
        total += len(ids)
    return len(unique) != total


def _report_duplicate_candidates(strata: list, problems: _Problems) -> None:
    first: dict[str, str] = {}
    for index, stratum in enumerate(strata):
        candidates = stratum.get("candidates") if isinstance(stratum, dict) else None
        for position, candidate in enumerate(candidates if isinstance(candidates, list) else ()):
            ident = candidate.get("id") if isinstance(candidate, dict) else None
            if not isinstance(ident, str):
                continue
            here = f"strata[{index}].candidates[{position}]"
            if ident in first:
                problems.add(
                    f"检查对象 {_show(ident)} 出现了不止一次（{first[ident]} 与 {here}）：每个对象至多属于一个分层"
                )
            else:
                first[ident] = here


def validate_manifest(manifest: object) -> list[str]:
    """Every way in which ``manifest`` breaks the specification, in Chinese; an empty list means valid."""
    return _validate(manifest)[0]


def _require_valid(manifest: object, *, unique: bool = True) -> tuple[list[list[str]], list[list[str]]]:
    problems, ids, units = _validate(manifest, unique=unique)
    if problems:
        raise ManifestError(problems)
    return ids, units


# ====================================================================================================================
# Helper processes
#
# On a machine with several cores, compute() forks helper processes. They inherit the prepared manifest (nothing
# is copied or pickled), each computes a share of the hashes and returns a partial result that is merged exactly,
# so the bundle is identical for any number of processes (the tests check this). Where fork is unavailable
# (Windows) or not allowed (inside a daemonic process), everything simply runs in the calling process.


class _Job:
    """The prepared manifest, as the helper processes need it."""

    def __init__(self, manifest: dict, ids: list[list[str]], units: list[list[str]]) -> None:
        strata = manifest["strata"]
        self.manifest = manifest
        self.ids = ids  # per stratum, in manifest order
        self.units = units
        # The UTF-8 of each stratum's ids, separated by the byte 0x80 (which cannot occur in ASCII, and ASCII is
        # encoded alike in Latin-1 and UTF-8). Hashing slices its share of ids out of this one object: taking the
        # shared id strings one by one would make the operating system copy every memory page they lie on
        # (copy-on-write after fork: every reference taken to an object writes to it).
        self.blobs = ["\x80".join(stratum_ids).encode("latin-1") for stratum_ids in ids]
        self.plain = [_plain(stratum["candidates"], self.blobs[index], units[index]) for index, stratum in enumerate(strata)]
        self.by_unit: dict[str, list[bytes]] = {}  # unit -> encoded ids of its inspectors
        for inspector in manifest["inspectors"]:
            self.by_unit.setdefault(inspector["unit"], []).append(inspector["id"].encode())
        self.banned: dict[str, set[bytes]] = {}  # candidate id -> encoded ids of inspectors in conflict with it
        for inspector_id, candidate_id in manifest["conflicts"]:
            self.banned.setdefault(candidate_id, set()).add(inspector_id.encode())


_JOB: _Job | None = None  # set only while forking, so that the helpers inherit it
_FORK_LOCK = threading.Lock()


class _Done:
    def __init__(self, value: object) -> None:
        self.value = value

    def get(self) -> object:
        return self.value


class _Processes:
    """``workers`` processes: the calling one and ``workers`` - 1 forked helpers."""

    def __init__(self, job: _Job, workers: int) -> None:
        global _JOB
        self.job = job
        self.pool = None
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            with _FORK_LOCK:
                _JOB = job
                try:
                    self.pool = multiprocessing.get_context("fork").Pool(workers - 1)
                except (OSError, ValueError, AssertionError):
                    self.pool = None
                finally:
                    _JOB = None
        self.size = workers if self.pool else 1

    def map(self, function, tasks: list) -> list:
        """[function(task) for task in tasks]; the calling process computes the first, helpers the others."""
        if self.pool is None or len(tasks) < 2:
            return [function(task, self.job) for task in tasks]
        pending = self.pool.map_async(function, tasks[1:], chunksize=1)
        first = function(tasks[0], self.job)
        return [first, *pending.get()]

    def submit(self, function, task: object) -> _Done:
        """function(task) in a helper, or at once when there is none; ``.get()`` waits for the result."""
        if self.pool is None:
            return _Done(function(task, self.job))
        return self.pool.apply_async(function, (task,))

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()


def _default_workers(candidates: int) -> int:
    if candidates < PARALLEL_MIN_CANDIDATES:
        return 1
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return max(1, min(cores, PARALLEL_MAX_WORKERS))


def _split(sizes: list[int], parts: int) -> list[list[tuple[int, int, int]]]:
    """Cut the concatenation of lists of the given sizes into ``parts`` runs of nearly equal length.

    Each run is a list of segments (list index, start, stop).
    """
    total = sum(sizes)
    bounds = [total * part // parts for part in range(parts + 1)]
    runs: list[list[tuple[int, int, int]]] = []
    for low, high in zip(bounds, bounds[1:]):
        run, offset = [], 0
        for index, size in enumerate(sizes):
            start, stop = max(low, offset), min(high, offset + size)
            if start < stop:
                run.append((index, start - offset, stop - offset))
            offset += size
        runs.append(run)
    return runs


def _duplicates_task(_task: None, job: _Job | None = None) -> bool:
    return _has_duplicates((job or _JOB).ids)


@contextmanager
def _without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector (the draw creates no reference cycles).

    With millions of live objects, each full collection walks all of them — and in forked helpers, writes to each
    of them, defeating copy-on-write. Helpers forked inside this block inherit the paused collector.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


# ====================================================================================================================
# Commitment and seed (§1, §2)


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _sorted_conflicts(conflicts: list) -> list:
    return sorted(conflicts, key=lambda pair: (pair[0], pair[1]))


def _canonical_copy(manifest: dict) -> dict:
    """The manifest with its lists in canonical order (§1). Candidate and inspector objects are shared, not copied."""
    canonical = dict(manifest)
    canonical["strata"] = sorted(
        ({**stratum, "candidates": sorted(stratum["candidates"], key=_by_id)} for stratum in manifest["strata"]),
        key=itemgetter("name"),
    )
    canonical["inspectors"] = sorted(manifest["inspectors"], key=_by_id)
    canonical["conflicts"] = _sorted_conflicts(manifest["conflicts"])
    return canonical


def _reference_canonical(manifest: dict) -> bytes:
    """§1 to the letter. Slow for millions of candidates; _canonical_pieces gives the same bytes faster."""
    return _dumps(_canonical_copy(manifest)).encode()


# The canonical JSON of a candidate that is exactly {"id", "unit"} is {"id":"<id>","unit":"<unit>"} when neither
# contains a character JSON escapes. If moreover no id contains a character sorting before '"', then sorting the
# strings <id>","unit":"<unit> sorts the candidates by id, and joining them gives the JSON without json.dumps.
_UNSAFE_ID = re.compile(r"[^#-\[\]-~]")  # anything outside 0x23-0x7E, and the backslash
_ESCAPED_BY_JSON = re.compile(r'[\x00-\x1f"\\]')
_MIDDLE = '","unit":"'
_BETWEEN = '"},{"id":"'


# The same two tests on bytes, by deleting the allowed bytes (bytes.translate: one pass in C, several times faster
# than the regular expressions over the millions of characters of a large stratum).
_SAFE_ID_BYTES = bytes(range(0x23, 0x7F)).replace(b"\\", b"") + b"\x80"  # and the separator of the blobs
_ESCAPED_BYTES = bytes(range(0x20)) + b'"\\'


def _plain(candidates: list[dict], blob: bytes, units: list[str]) -> bool:
    """Whether the fast path of _candidates_json applies to these candidates (``blob``: their ids as in _Job)."""
    if not set(map(len, candidates)) <= {2}:  # validated to have "id" and "unit": 2 keys means no other key
        return False
    if blob.translate(None, _SAFE_ID_BYTES):  # not _UNSAFE_ID.search(ids)
        return False
    joined = "".join(units)
    if not joined.isascii():
        return not _ESCAPED_BY_JSON.search(joined)
    encoded = joined.encode("ascii")
    return len(encoded.translate(None, _ESCAPED_BYTES)) == len(encoded)  # not _ESCAPED_BY_JSON.search(units)


def _candidates_json(job: _Job, index: int) -> bytes:
    """The canonical JSON of the candidate list of stratum ``index``, without the brackets."""
    ids, units = job.ids[index], job.units[index]
    if not ids:
        return b""
    if job.plain[index]:
        if all(map(lt, ids, islice(ids, 1, None))):  # already in order, as the plans write them: join as they are
            pieces = chain.from_iterable(zip(ids, repeat(_MIDDLE), units, repeat(_BETWEEN)))
            return ('{"id":"' + "".join(pieces)[: -len(_BETWEEN)] + '"}').encode()
        parts = list(map(str.__add__, ids, map(_MIDDLE.__add__, units)))
        parts.sort()
        return ('{"id":"' + _BETWEEN.join(parts) + '"}').encode()
    return _dumps(sorted(job.manifest["strata"][index]["candidates"], key=_by_id))[1:-1].encode()


def _object_pieces(obj: dict, nested_key: str, nested: Iterable[bytes]) -> Iterator[bytes]:
    """What json.dumps(obj, sort_keys=True, ...) writes — except that the value of ``nested_key`` is ``nested``."""
    for number, key in enumerate(sorted(obj)):
        yield (b"," if number else b"{") + _dumps(key).encode() + b":"
        if key == nested_key:
            yield from nested
        else:
            yield _dumps(obj[key]).encode()
    yield b"}"


def _candidates_pieces(job: _Job, index: int) -> Iterator[bytes]:
    yield b"["
    yield _candidates_json(job, index)
    yield b"]"


def _strata_pieces(job: _Job) -> Iterator[bytes]:
    strata = job.manifest["strata"]
    yield b"["
    for number, index in enumerate(sorted(range(len(strata)), key=lambda index: strata[index]["name"])):
        if number:
            yield b","
        yield from _object_pieces(strata[index], "candidates", _candidates_pieces(job, index))
    yield b"]"


def _canonical_pieces(job: _Job) -> Iterator[bytes]:
    """The canonical form of §1, one stratum's candidates at a time.

    The concatenation equals _reference_canonical(manifest), but is much faster to produce for large manifests.
    """
    manifest = job.manifest
    canonical = {
        **manifest,
        "inspectors": sorted(manifest["inspectors"], key=_by_id),
        "conflicts": _sorted_conflicts(manifest["conflicts"]),
    }
    yield from _object_pieces(canonical, "strata", _strata_pieces(job))


def _commitment(job: _Job) -> str:
    """The commitment, computed in the calling process: the hash is sequential, and building half of the text in a
    helper cost more in sending it back than it saved (measured). Meanwhile a helper looks for duplicates."""
    digest = hashlib.sha256()
    with _json_problems():
        for piece in _canonical_pieces(job):
            digest.update(piece)
    return digest.hexdigest()


@contextmanager
def _json_problems() -> Iterator[None]:
    """Values that JSON cannot represent (possible only in a manifest built in Python) make the manifest invalid."""
    try:
        yield
    except UnicodeEncodeError as exc:  # a lone surrogate such as "\ud800" in a value or key no rule checks
        raise ManifestError([NOT_UTF8]) from exc
    except (TypeError, ValueError) as exc:
        if isinstance(exc, ManifestError):
            raise
        raise ManifestError([f"manifest 无法写成规范 JSON：{exc}"]) from exc


def canonical_manifest(manifest: dict) -> bytes:
    """The canonical form of §1: UTF-8 JSON with sorted lists and keys and no whitespace. Validates first."""
    job = _Job(manifest, *_require_valid(manifest))
    with _json_problems():
        return b"".join(_canonical_pieces(job))


def commitment(manifest: dict) -> str:
    """Lowercase hex SHA-256 of the canonical manifest — published before the randomness exists."""
    return hashlib.sha256(canonical_manifest(manifest)).hexdigest()


def seed(commitment: str, randomness: str) -> bytes:
    """SHA-256(UTF-8(commitment + ":" + randomness)), 32 bytes."""
    if not isinstance(randomness, str):
        raise TypeError(f"randomness 必须是字符串（与随机源公布的完全一致），实际为 {type(randomness).__name__}")
    return hashlib.sha256(f"{commitment}:{randomness}".encode()).digest()


# ====================================================================================================================
# Selection (§3)
#
# A ticket key is the ticket followed by the id: as every ticket has 32 bytes, comparing keys as bytes compares
# (ticket, id) — the order of the specification — without building tuples. Only the smallest keys matter, and
# tickets are uniformly distributed, so each stratum first keeps just the tickets below a bound chosen so that
# comfortably more than ``quota`` of them fall below it (on average quota + 6·√quota + 64). If fewer than quota
# do — which the margin makes astronomically rare — the stratum is simply drawn again keeping every ticket.
# Either way the result is exactly the first ``quota`` keys of the full sort.

_TICKET_SIZE = 32
_SEPARATOR = b"\x80"
_KEEP_ALL = b"\xff" * 33  # greater than every 32-byte ticket
_MARGIN_SIGMAS = 6
_MARGIN_EXTRA = 64


def ticket(seed: bytes, candidate_id: str) -> bytes:
    """T(c) = SHA-256(seed || UTF-8("E:" + id)), 32 bytes."""
    return hashlib.sha256(seed + b"E:" + candidate_id.encode()).digest()


def _bound(quota: int, size: int) -> bytes:
    expected = quota + _MARGIN_SIGMAS * int(quota**0.5) + _MARGIN_EXTRA
    if expected * 4 >= size:
        return _KEEP_ALL
    return ((expected << 256) // size).to_bytes(_TICKET_SIZE, "big")


def _segments(blobs: list[bytes], sizes: list[int], parts: int) -> list[list[tuple[int, int, int, int]]]:
    """Cut the blobs into ``parts`` runs of nearly equal size, at separators.

    A segment is (stratum, first byte, end byte, index of its first id); ``sizes`` are the byte counts to cover
    (0 for a stratum that needs no tickets).
    """
    runs = []
    for run in _split(sizes, parts):
        segments = []
        for index, start, stop in run:
            blob = blobs[index]
            if start > 0:
                start = blob.find(_SEPARATOR, start)
                start = len(blob) if start < 0 else start + len(_SEPARATOR)
            if stop < len(blob):
                stop = blob.find(_SEPARATOR, stop)
                stop = len(blob) if stop < 0 else stop
            if start < stop:
                segments.append((index, start, stop, blob.count(_SEPARATOR, 0, start)))
        runs.append(segments)
    return runs


def _tickets_below(seed_bytes: bytes, names: list[bytes], bound: bytes, offset: int) -> list[tuple[bytes, int]]:
    """(ticket key, offset + position) of every encoded id whose ticket is below ``bound``."""
    prefix = hashlib.sha256(seed_bytes + b"E:")
    copy = prefix.copy
    found = []
    for position, name in enumerate(names, offset):
        h = copy()
        h.update(name)
        digest = h.digest()
        if digest < bound:
            found.append((digest + name, position))
    return found


def _tickets_task(task: tuple[bytes, list[bytes], list[tuple[int, int, int, int]]], job: _Job | None = None) -> list:
    seed_bytes, bounds, segments = task
    job = job or _JOB
    return [
        (index, _tickets_below(seed_bytes, job.blobs[index][start:stop].split(_SEPARATOR), bounds[index], first))
        for index, start, stop, first in segments
    ]


def _select(job: _Job, seed_bytes: bytes, processes: _Processes) -> list[tuple[bytes, str, dict]]:
    """The selected candidates of all strata as (ticket key, stratum name, candidate), in assignment order (§4)."""
    strata = job.manifest["strata"]
    quotas = [stratum["quota"] for stratum in strata]
    bounds = [_bound(quota, len(ids)) for quota, ids in zip(quotas, job.ids)]
    sizes = [len(blob) if quota > 0 else 0 for quota, blob in zip(quotas, job.blobs)]
    tasks = [(seed_bytes, bounds, run) for run in _segments(job.blobs, sizes, processes.size)]
    found: list[list[tuple[bytes, int]]] = [[] for _ in strata]
    for result in processes.map(_tickets_task, tasks):
        for index, pairs in result:
            found[index] += pairs

    selected = []
    for index, stratum in enumerate(strata):
        if len(found[index]) < min(quotas[index], len(job.ids[index])):  # too few below the bound: keep all
            found[index] = _tickets_below(seed_bytes, job.blobs[index].split(_SEPARATOR), _KEEP_ALL, 0)
        found[index].sort()
        candidates = stratum["candidates"]
        selected += [(key, stratum["name"], candidates[position]) for key, position in found[index][: quotas[index]]]
    selected.sort(key=itemgetter(0))
    return selected


# ====================================================================================================================
# Assignment (§4)


def _rank(job: _Job, seed_bytes: bytes, candidate_id: str, inspectors: list[bytes], count: int) -> list[str]:
    """The first ``count`` of ``inspectors``, leaving out those in conflict with the candidate, in the order of §4."""
    banned = job.banned.get(candidate_id)
    if banned:
        inspectors = [inspector for inspector in inspectors if inspector not in banned]
    prefix = seed_bytes + b"I:" + candidate_id.encode() + b":"
    sha256 = hashlib.sha256
    # This is the engine's inner loop (one hash per selected candidate and inspector of its unit). Each key is the
    # hash followed by the id, so comparing keys as bytes compares (hash, id). A comprehension hashing prefix + id
    # in one call is a third faster here than copying a prefix hash: the message spans two SHA-256 blocks anyway.
    keys = [sha256(prefix + name).digest() + name for name in inspectors]
    keys.sort()
    return [key[_TICKET_SIZE:].decode("ascii") for key in keys[:count]]


def _ranks_task(task: tuple[bytes, int, list[tuple[str, str]]], job: _Job | None = None) -> list[list[str]]:
    seed_bytes, keep, candidates = task
    job = job or _JOB
    return [_rank(job, seed_bytes, ident, job.by_unit.get(unit, []), keep) for ident, unit in candidates]


def _assign(job: _Job, seed_bytes: bytes, selected: list, processes: _Processes) -> list[list[str]]:
    """The team of every selected candidate, in order; an empty list when no full team can be formed.

    The ranking does not depend on loads, so it is computed first, in parallel, keeping only the first ``keep``
    inspectors of each candidate. The eligible inspectors of §4 are then, in the same order, those of that list
    whose load is below max_tasks — unless loads leave fewer than team_size of them while the unit may have more
    inspectors than were kept; only then is the candidate ranked again among its eligible inspectors.
    """
    keep = job.manifest["team_size"] + 4
    order = [(candidate["id"], candidate["unit"]) for _key, _stratum, candidate in selected]
    parts = processes.size
    runs = [order[len(order) * part // parts : len(order) * (part + 1) // parts] for part in range(parts)]
    rankings = [
        ranks for result in processes.map(_ranks_task, [(seed_bytes, keep, run) for run in runs]) for ranks in result
    ]
    return _teams(job, seed_bytes, order, rankings)


def _teams(job: _Job, seed_bytes: bytes, order: list[tuple[str, str]], rankings: list[list[str]]) -> list[list[str]]:
    """The loads of §4, in assignment order: ``rankings`` holds the first team_size + 4 inspectors of each candidate
    of ``order`` (computed by _ranks_task, in any number of processes or machines)."""
    team_size = job.manifest["team_size"]
    max_tasks = job.manifest["max_tasks"]
    keep = team_size + 4
    load = dict.fromkeys(map(_by_id, job.manifest["inspectors"]), 0)
    teams = []
    for (ident, unit), ranking in zip(order, rankings):
        team = [inspector for inspector in ranking if load[inspector] < max_tasks][:team_size]
        if len(team) < team_size and len(ranking) == keep:
            eligible = [inspector for inspector in job.by_unit[unit] if load[inspector.decode()] < max_tasks]
            team = _rank(job, seed_bytes, ident, eligible, team_size)
        if len(team) < team_size:
            team = []  # never a partial team
        for inspector in team:
            load[inspector] += 1
        teams.append(team)
    return teams


# ====================================================================================================================
# The bundle (§5)


def compute(
    manifest: dict, randomness: str, *, published_commitment: str | None = None, workers: int | None = None
) -> dict:
    """Run the draw and return the bundle of §5. Raises ManifestError if the manifest is invalid.

    The bundle's ``manifest`` is the object passed in — not copied, not reordered — so the bundle publishes the
    manifest exactly as it was given.

    ``published_commitment``: the commitment published before the draw, if the caller has it (it was computed when
    the manifest was frozen). The draw then uses it instead of canonicalizing the manifest again, which saves a
    third of the time on large manifests; verify() reports it if it does not belong to the manifest.

    ``workers``: the number of processes (default: every core for large manifests, one otherwise). It changes the
    speed, never the result.
    """
    if not isinstance(randomness, str):
        raise TypeError(f"randomness 必须是字符串（与随机源公布的完全一致），实际为 {type(randomness).__name__}")
    with _without_gc():
        ids, units = _require_valid(manifest, unique=False)  # duplicates are looked for below, alongside the draw
        job = _Job(manifest, ids, units)
        processes = _Processes(job, _default_workers(sum(map(len, ids))) if workers is None else workers)
        try:
            duplicates = processes.submit(_duplicates_task, None)
            commit = published_commitment or _commitment(job)
            seed_bytes = seed(commit, randomness)
            selected = _select(job, seed_bytes, processes)
            teams = _assign(job, seed_bytes, selected, processes)
            if duplicates.get():
                raise ManifestError(validate_manifest(manifest))
        finally:
            processes.close()
    return {
        "manifest": manifest,
        "commitment": commit,
        "randomness": randomness,
        "seed": seed_bytes.hex(),
        "selected": [
            {"stratum": stratum, "id": candidate["id"], "ticket": key[:_TICKET_SIZE].hex(), "inspectors": team}
            for (key, stratum, candidate), team in zip(selected, teams)
        ],
        "unassigned": [candidate["id"] for (_key, _stratum, candidate), team in zip(selected, teams) if not team],
    }


def verify(bundle: object, *, workers: int | None = None) -> list[str]:
    """Recompute ``bundle`` from its manifest and randomness; every difference, in Chinese (empty = verified)."""
    if not isinstance(bundle, dict):
        return [f"bundle 必须是 JSON 对象，实际为 {_show(bundle)}"]
    problems = [f"bundle 缺少字段 {key}" for key in BUNDLE_KEYS if key not in bundle]
    problems += [f"bundle 含有规范之外的字段 {_show(key)}" for key in bundle if key not in BUNDLE_KEYS]
    if "manifest" not in bundle or "randomness" not in bundle:
        return [*problems, "没有 manifest 或 randomness，无法重新计算"]
    if not _is_text(bundle["randomness"]):
        if isinstance(bundle["randomness"], str):
            problems.append("randomness 含有不成对的 UTF-16 代理字符，不能编码为 UTF-8")
        else:
            problems.append(f"randomness 必须是字符串，实际为 {_show(bundle['randomness'])}")
        return problems + [f"manifest 无效：{problem}" for problem in validate_manifest(bundle["manifest"])]
    try:  # compute() validates the manifest as it goes, so a valid one is not checked twice
        expected = compute(bundle["manifest"], bundle["randomness"], workers=workers)
    except ManifestError as exc:
        # A manifest every rule accepts can still fail to be canonicalized (a lone surrogate in a field no rule
        # checks): then the error itself is the problem — never an empty list, which would mean "verified".
        found = validate_manifest(bundle["manifest"]) or exc.problems
        return problems + [f"manifest 无效：{problem}" for problem in found]
    for key in ("commitment", "seed"):
        if key in bundle and bundle[key] != expected[key]:
            problems.append(f"{key} 不一致：bundle 中为 {_show(bundle[key])}，重新计算为 {_show(expected[key])}")
    if "selected" in bundle:
        problems += _compare_selected(bundle["selected"], expected["selected"])
    if "unassigned" in bundle and bundle["unassigned"] != expected["unassigned"]:
        problems.append(
            f"unassigned 不一致：bundle 中为 {_show(bundle['unassigned'])}，重新计算为 {_show(expected['unassigned'])}"
        )
    return problems


def _compare_selected(actual: object, expected: list[dict]) -> list[str]:
    if not isinstance(actual, list):
        return [f"selected 必须是数组，实际为 {_show(actual)}"]
    problems = []
    if len(actual) != len(expected):
        problems.append(f"selected 条数不一致：bundle 中为 {len(actual)} 条，重新计算为 {len(expected)} 条")
    for index, (got, want) in enumerate(zip(actual, expected)):
        if not isinstance(got, dict):
            problems.append(f"selected[{index}] 不一致：bundle 中为 {_show(got)}，重新计算为 {_show(want)}")
            continue
        for key in SELECTED_KEYS:
            if key not in got:
                problems.append(f"selected[{index}].{key} 缺失，重新计算为 {_show(want[key])}")
            elif got[key] != want[key]:
                problems.append(
                    f"selected[{index}].{key} 不一致：bundle 中为 {_show(got[key])}，重新计算为 {_show(want[key])}"
                )
        problems += [f"selected[{index}] 含有规范之外的字段 {_show(key)}" for key in got if key not in SELECTED_KEYS]
    problems += [f"selected[{i}] 多余：bundle 中为 {_show(actual[i])}" for i in range(len(expected), len(actual))]
    problems += [f"selected[{i}] 缺失：重新计算为 {_show(expected[i])}" for i in range(len(actual), len(expected))]
    return problems


# ====================================================================================================================
# Command line


class InputError(Exception):
    """A file that cannot be read as strict JSON."""


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        keys = [key for key, _value in pairs]
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        raise InputError(f"JSON 对象中有重复的键 {', '.join(map(_show, duplicated))}：不同程序可能读出不同的值")
    return result


def _reject_constant(name: str) -> object:
    raise InputError(f"JSON 中出现了非标准的常量 {name}")


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"无法读取文件 {path}：{exc.strerror or exc}") from exc


def _parse(data: bytes, path: str, *, strict: bool = True) -> object:
    """JSON from ``data``: no NaN or Infinity; ``strict``: no duplicate keys either (a Python call per object, about
    half the reading time of a large manifest)."""
    hook = _no_duplicate_keys if strict else None
    try:
        with _without_gc():  # millions of new objects and no cycles: the collector would only walk them
            return json.loads(data, object_pairs_hook=hook, parse_constant=_reject_constant)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InputError(f"{path} 不是有效的 JSON：{exc}") from exc
    except InputError as exc:
        raise InputError(f"{path}：{exc}") from exc


def load_json(path: str) -> object:
    """Read a JSON file strictly: UTF-8 (a byte order mark is tolerated), no duplicate keys, no NaN or Infinity."""
    return _parse(_read(path), path)


#: How a canonical manifest begins (keys sorted, no whitespace; a byte order mark and blanks around it tolerated).
_CANONICAL_START = re.compile(rb'(?:\xef\xbb\xbf)?[ \t\r\n]*\{"algorithm":"[^"\\]*","batch":')


def _canonical_text(data: bytes, commitment: str) -> str | None:
    """The text of ``data`` if it is the canonical manifest (§1) of this commitment — as every published manifest is
    — else None. Equal hashes mean equal bytes, so such a file has no duplicate key (the canonical text of a parsed
    object has none) and its text is what the bundle's manifest would be encoded to."""
    body = data[len(codecs.BOM_UTF8):] if data.startswith(codecs.BOM_UTF8) else data
    body = body.strip(b" \t\r\n")
    if hashlib.sha256(body).hexdigest() != commitment:
        return None
    return body.decode("utf-8")


#: Bundles of up to this many candidates are laid out like draw-v1-vector.json (indent=1, readable in an editor); larger
#: ones are written compact. json's indented mode runs the pure-Python encoder — 9 of the 13 s `draw compute` took on
#: 1,000,000 candidates — while the compact mode runs the C one. Both are the same JSON: verify() reads either.
PRETTY_MAX_CANDIDATES = 10_000
_PIECE_ITEMS = 20_000  # list items encoded at a time when a large bundle is streamed


def _compact(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _pieces(value: object) -> Iterator[str]:
    """The text of ``_compact(value)``, in pieces: objects key by key, long lists ``_PIECE_ITEMS`` items at a time,
    each piece by the C encoder. Joined, exactly ``_compact(value)``."""
    if isinstance(value, dict) and value and all(isinstance(key, str) for key in value):
        opening = "{"
        for key, item in value.items():
            yield opening + _compact(key) + ":"
            yield from _pieces(item)
            opening = ","
        yield "}"
    elif isinstance(value, list) and len(value) > _PIECE_ITEMS:
        for start in range(0, len(value), _PIECE_ITEMS):
            yield ("[" if start == 0 else ",") + _compact(value[start : start + _PIECE_ITEMS])[1:-1]
        yield "]"
    else:
        yield _compact(value)


def _candidates(bundle: dict) -> int:
    strata = bundle.get("manifest", {}).get("strata", []) if isinstance(bundle.get("manifest"), dict) else []
    return sum(len(s.get("candidates", [])) for s in strata if isinstance(s, dict))


def bundle_pieces(bundle: dict, *, manifest_text: str | None = None) -> Iterator[str]:
    """The published text of a bundle (no final newline), piece by piece: laid out like draw-v1-vector.json up to
    ``PRETTY_MAX_CANDIDATES`` candidates, compact above.

    ``manifest_text``: the canonical text (§1) that ``bundle["manifest"]`` was parsed from, when the caller has it.
    In the compact layout the manifest is written as ``_compact`` writes it, and for an object parsed from its
    canonical text that is the text itself (keys and lists already in canonical order, the same separators and
    escaping), so the text is put in as it is instead of being encoded again — megabytes for a large draw."""
    if _candidates(bundle) <= PRETTY_MAX_CANDIDATES:
        yield json.dumps(bundle, ensure_ascii=False, indent=1)
    elif manifest_text is None or not isinstance(bundle, dict):
        yield from _pieces(bundle)
    else:
        opening = "{"
        for key, item in bundle.items():
            yield opening + _compact(key) + ":"
            if key == "manifest":
                yield manifest_text
            else:
                yield from _pieces(item)
            opening = ","
        yield "}"


def dump_bundle(bundle: dict, *, manifest_text: str | None = None) -> str:
    """The published text of a bundle (see ``bundle_pieces``)."""
    return "".join(bundle_pieces(bundle, manifest_text=manifest_text))


def write_bundle(bundle: dict, handle, *, manifest_text: str | None = None) -> None:
    """Write the published text of a bundle to a text ``handle`` as it is encoded, without building it whole
    (``manifest_text``: see ``bundle_pieces``)."""
    for piece in bundle_pieces(bundle, manifest_text=manifest_text):
        handle.write(piece)


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):  # never crash on a console that cannot show Chinese
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    parser = argparse.ArgumentParser(
        prog="draw.py",
        description=f"可验证的双随机抽取（{ALGORITHM}）：计算或验证抽取结果。Compute or verify a {ALGORITHM} draw.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("compute", help="由 manifest 和公开随机数计算 bundle / compute a bundle")
    run.add_argument("manifest", help="manifest 的 JSON 文件")
    run.add_argument("--randomness", required=True, help="随机源公布的值，原样照抄 / the beacon's value, verbatim")
    run.add_argument("--output", help="把 bundle 写入此文件，而不是标准输出 / write the bundle to this file")
    check = commands.add_parser("verify", help="重新计算并核对 bundle / verify a bundle")
    check.add_argument("bundle", help="bundle 的 JSON 文件")
    args = parser.parse_args(argv)

    try:
        if args.command == "verify":
            problems = verify(load_json(args.bundle))
        else:
            # Read without the duplicate-key check first: a published manifest is its canonical text, and that has
            # no duplicate key (checked below by its hash, which the draw computes anyway). Any other file is then
            # read strictly as well — and a manifest the draw refuses is too, so that a duplicate key is reported
            # as such, as before.
            # A file that does not even begin as a canonical text is read strictly at once (read only once).
            data = _read(args.manifest)
            checked = not _CANONICAL_START.match(data)
            manifest = _parse(data, args.manifest, strict=checked)
            try:
                bundle = compute(manifest, args.randomness)
            except ManifestError as exc:
                if not checked:
                    _parse(data, args.manifest)
                raise InputError("manifest 无效：\n" + "\n".join(f"- {problem}" for problem in exc.problems)) from exc
            manifest_text = _canonical_text(data, bundle["commitment"])
            if manifest_text is None and not checked:
                _parse(data, args.manifest)
            del data
            if args.output:
                with open(args.output, "w", encoding="utf-8", newline="\n") as handle:
                    write_bundle(bundle, handle, manifest_text=manifest_text)
                print(f"bundle 已写入 {args.output}（commitment {bundle['commitment']}）", file=sys.stderr)
            else:
                write_bundle(bundle, sys.stdout, manifest_text=manifest_text)
                sys.stdout.write("\n")
            return 0
    except (InputError, OSError) as exc:
        print(f"错误 / error：{exc}", file=sys.stderr)
        return 2
    if problems:
        print(f"验证失败 / verification failed：{len(problems)} 处不一致")
        for problem in problems:
            print(f"- {problem}")
        return 1
    print("验证通过 / verified")
    return 0


if __name__ == "__main__":
    sys.exit(main())
