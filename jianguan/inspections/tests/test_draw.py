"""Tests of draw.py, the verifiable double-random draw (jianguan-draw/1): pure Python, no Django, no database.

The module is checked against the specification's test vector, against a literal transcription of the
specification written here (``reference_bundle``), and for the properties the specification promises.
"""

from __future__ import annotations

import ast
import copy
import hashlib
import json
import pickle
import random
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from jianguan.inspections import draw

HERE = Path(__file__).resolve().parent
SHARED_VECTOR = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "draw-v1-vector.json"
VECTOR_COPY = HERE / "data" / "draw-v1-vector.json"
VECTOR_PATH = SHARED_VECTOR if SHARED_VECTOR.exists() else VECTOR_COPY
VECTOR_TEXT = VECTOR_PATH.read_text(encoding="utf-8")
VECTOR = json.loads(VECTOR_TEXT)
DRAW_PY = Path(draw.__file__).resolve()


@pytest.fixture(autouse=True)
def _clear_caches():
    """Overrides the project-wide fixture of the same name, which clears Django's caches: no Django here."""
    yield


def vector() -> dict:
    return copy.deepcopy(VECTOR)


# ---------------------------------------------------------------------------------------------------------------------
# The specification, transcribed as literally as possible (slow, obviously right)


def reference_canonical(manifest: dict) -> bytes:
    canonical = copy.deepcopy(manifest)
    canonical["strata"] = sorted(canonical["strata"], key=lambda stratum: stratum["name"])
    for stratum in canonical["strata"]:
        stratum["candidates"] = sorted(stratum["candidates"], key=lambda candidate: candidate["id"])
    canonical["inspectors"] = sorted(canonical["inspectors"], key=lambda inspector: inspector["id"])
    canonical["conflicts"] = sorted(canonical["conflicts"], key=lambda pair: (pair[0], pair[1]))
    return json.dumps(canonical, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def reference_bundle(manifest: dict, randomness: str) -> dict:
    commitment = hashlib.sha256(reference_canonical(manifest)).hexdigest()
    seed = hashlib.sha256((commitment + ":" + randomness).encode("utf-8")).digest()

    def h(text: str) -> bytes:
        return hashlib.sha256(seed + text.encode("utf-8")).digest()

    selected = []
    for stratum in manifest["strata"]:
        ranked = sorted(stratum["candidates"], key=lambda c: (h("E:" + c["id"]), c["id"]))
        for candidate in ranked[: min(stratum["quota"], len(ranked))]:
            selected.append((h("E:" + candidate["id"]), candidate["id"], stratum["name"], candidate["unit"]))
    selected.sort(key=lambda entry: (entry[0], entry[1]))

    conflicts = {(pair[0], pair[1]) for pair in manifest["conflicts"]}
    load = {inspector["id"]: 0 for inspector in manifest["inspectors"]}
    entries, unassigned = [], []
    for ticket, ident, stratum, unit in selected:
        eligible = [
            inspector["id"]
            for inspector in manifest["inspectors"]
            if inspector["unit"] == unit
            and (inspector["id"], ident) not in conflicts
            and load[inspector["id"]] < manifest["max_tasks"]
        ]
        eligible.sort(key=lambda inspector: (h("I:" + ident + ":" + inspector), inspector))
        team = eligible[: manifest["team_size"]] if len(eligible) >= manifest["team_size"] else []
        for inspector in team:
            load[inspector] += 1
        if not team:
            unassigned.append(ident)
        entries.append({"stratum": stratum, "id": ident, "ticket": ticket.hex(), "inspectors": team})
    return {
        "manifest": manifest,
        "commitment": commitment,
        "randomness": randomness,
        "seed": seed.hex(),
        "selected": entries,
        "unassigned": unassigned,
    }


def check_promises(manifest: dict, bundle: dict) -> None:
    """What §3 and §4 promise, checked on a computed bundle."""
    team_size, max_tasks = manifest["team_size"], manifest["max_tasks"]
    unit_of = {c["id"]: c["unit"] for stratum in manifest["strata"] for c in stratum["candidates"]}
    inspector_unit = {inspector["id"]: inspector["unit"] for inspector in manifest["inspectors"]}
    conflicts = {tuple(pair) for pair in manifest["conflicts"]}
    load: dict[str, int] = {}
    for entry in bundle["selected"]:
        team = entry["inspectors"]
        assert len(team) in (0, team_size), "never a partial team"
        assert len(set(team)) == len(team)
        for inspector in team:
            assert inspector_unit[inspector] == unit_of[entry["id"]], "same unit only"
            assert (inspector, entry["id"]) not in conflicts, "conflicts never meet"
            load[inspector] = load.get(inspector, 0) + 1
    assert all(count <= max_tasks for count in load.values())
    assert bundle["unassigned"] == [entry["id"] for entry in bundle["selected"] if not entry["inspectors"]]
    for stratum in manifest["strata"]:
        chosen = [entry for entry in bundle["selected"] if entry["stratum"] == stratum["name"]]
        assert len(chosen) == min(stratum["quota"], len(stratum["candidates"]))
    keys = [(bytes.fromhex(entry["ticket"]), entry["id"]) for entry in bundle["selected"]]
    assert keys == sorted(keys), "selected is in assignment order"


# ---------------------------------------------------------------------------------------------------------------------
# Manifests


def make_manifest(
    strata: list[tuple[str, int, list[tuple[str, str]]]],
    inspectors: list[tuple[str, str]],
    conflicts: list[tuple[str, str]] = (),
    team_size: int = 2,
    max_tasks: int = 3,
) -> dict:
    return {
        "algorithm": "jianguan-draw/1",
        "plan": "410400-2026-T01",
        "batch": "1",
        "beacon": "福利彩票3D 2026年第320期开奖号码",
        "team_size": team_size,
        "max_tasks": max_tasks,
        "strata": [
            {"name": name, "quota": quota, "candidates": [{"id": ident, "unit": unit} for ident, unit in candidates]}
            for name, quota, candidates in strata
        ],
        "inspectors": [{"id": ident, "unit": unit} for ident, unit in inspectors],
        "conflicts": [list(pair) for pair in conflicts],
    }


def synthetic_manifest(size: int, units: int = 6, seed: int = 7, max_tasks: int = 4) -> dict:
    """A manifest of ``size`` candidates in three strata, about one inspector per 25 candidates."""
    rng = random.Random(seed)
    codes = [f"4104{number:02d}" for number in range(units)]
    strata: dict[str, list[tuple[str, str]]] = {"A": [], "B": [], "C": []}
    for number in range(size):
        unit = rng.choice(codes)
        strata[rng.choice("ABBCCC")].append((f"91{unit}MA{number * 7919 % 10**8:08d}", unit))
    inspectors = [(f"{codes[k % units]}-{k // units:03d}", codes[k % units]) for k in range(max(units, size // 25))]
    conflicts = [(rng.choice(inspectors)[0], rng.choice(strata["A"])[0]) for _ in range(size // 50)]
    quotas = {"A": len(strata["A"]) // 5, "B": len(strata["B"]) // 20, "C": len(strata["C"]) // 50}
    return make_manifest(
        [(name, quotas[name], members) for name, members in strata.items()], inspectors, conflicts, 2, max_tasks
    )


ASCII_IDS = st.text(alphabet=st.characters(max_codepoint=0x7F), min_size=1, max_size=5)
PLAIN_IDS = st.text(alphabet="0123456789ABCDEFGHJKLMNPQRTUWXY-", min_size=1, max_size=5)
UNITS = ["410402", "410403", "单位甲"]


@st.composite
def manifests(draw_value, ids=PLAIN_IDS) -> dict:
    candidate_ids = draw_value(st.lists(ids, unique=True, max_size=40))
    inspector_ids = draw_value(st.lists(ids, unique=True, max_size=14))
    names = draw_value(st.lists(st.text(min_size=1, max_size=3), unique=True, min_size=1, max_size=4))
    strata = []
    rest = list(candidate_ids)
    for position, name in enumerate(names):
        count = len(rest) if position == len(names) - 1 else draw_value(st.integers(0, len(rest)))
        members, rest = rest[:count], rest[count:]
        quota = draw_value(st.integers(0, len(members) + 2))
        strata.append((name, quota, [(ident, draw_value(st.sampled_from(UNITS))) for ident in members]))
    inspectors = [(ident, draw_value(st.sampled_from(UNITS))) for ident in inspector_ids]
    conflicts = []
    if candidate_ids and inspector_ids:
        pairs = st.tuples(st.sampled_from(inspector_ids), st.sampled_from(candidate_ids))
        conflicts = draw_value(st.lists(pairs, max_size=12))
    manifest = make_manifest(
        strata, inspectors, conflicts, draw_value(st.integers(1, 3)), draw_value(st.integers(1, 4))
    )
    with_more_fields = [c for stratum in manifest["strata"] for c in stratum["candidates"]][:1]
    if with_more_fields and draw_value(st.booleans()):  # a candidate with more fields than id and unit
        with_more_fields[0]["name"] = "某某有限公司"
    return manifest


RANDOMNESS = st.text(max_size=8)
FAST = settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# ---------------------------------------------------------------------------------------------------------------------
# The test vector


def test_the_copy_of_the_vector_is_the_shared_one():
    assert VECTOR_COPY.read_bytes() == (SHARED_VECTOR if SHARED_VECTOR.exists() else VECTOR_COPY).read_bytes()


def test_vector_commitment():
    manifest = vector()["manifest"]
    assert draw.canonical_manifest(manifest) == reference_canonical(manifest)
    assert draw.commitment(manifest) == VECTOR["commitment"]


def test_vector_seed():
    assert draw.seed(VECTOR["commitment"], VECTOR["randomness"]).hex() == VECTOR["seed"]


def test_vector_tickets():
    seed = bytes.fromhex(VECTOR["seed"])
    for entry in VECTOR["selected"]:
        assert draw.ticket(seed, entry["id"]).hex() == entry["ticket"]


def test_vector_selected_and_unassigned():
    bundle = draw.compute(vector()["manifest"], VECTOR["randomness"])
    assert bundle["selected"] == VECTOR["selected"]
    assert (
        bundle["unassigned"]
        == VECTOR["unassigned"]
        == ["92410404MA894589XD", "92410404MA69636721", "91410404MA4217115J"]
    )


def test_vector_whole_bundle_byte_for_byte():
    bundle = draw.compute(vector()["manifest"], VECTOR["randomness"])
    assert list(bundle) == ["manifest", "commitment", "randomness", "seed", "selected", "unassigned"]
    assert list(bundle["selected"][0]) == ["stratum", "id", "ticket", "inspectors"]
    assert bundle == VECTOR
    assert draw.dump_bundle(bundle) == VECTOR_TEXT


@pytest.mark.parametrize("workers", [2, 3])
def test_vector_with_helper_processes(workers):
    assert draw.compute(vector()["manifest"], VECTOR["randomness"], workers=workers) == VECTOR


def test_vector_with_published_commitment():
    bundle = draw.compute(vector()["manifest"], VECTOR["randomness"], published_commitment=VECTOR["commitment"])
    assert bundle == VECTOR


def test_vector_matches_the_reference_transcription():
    assert reference_bundle(vector()["manifest"], VECTOR["randomness"]) == VECTOR


def test_module_uses_only_the_standard_library():
    tree = ast.parse(DRAW_PY.read_text(encoding="utf-8"))
    imported = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "no relative imports"
            imported.add(node.module.split(".")[0])
    assert imported <= set(sys.stdlib_module_names) | {"__future__"}, imported - set(sys.stdlib_module_names)


# ---------------------------------------------------------------------------------------------------------------------
# Against the transcription, and the promises


@FAST
@given(manifests(), RANDOMNESS)
def test_equals_the_reference(manifest, randomness):
    bundle = draw.compute(manifest, randomness, workers=1)
    assert bundle == reference_bundle(manifest, randomness)
    check_promises(manifest, bundle)
    assert draw.verify(bundle) == []


@FAST
@given(manifests(ids=ASCII_IDS), RANDOMNESS)
def test_any_ascii_ids(manifest, randomness):
    """Ids with quotes, backslashes, control characters… take the slow canonical path, with the same result."""
    assert draw.canonical_manifest(manifest) == reference_canonical(manifest)
    assert draw.compute(manifest, randomness, workers=1) == reference_bundle(manifest, randomness)


@FAST
@given(manifests(), RANDOMNESS)
def test_candidates_already_in_order(manifest, randomness):
    """Candidates listed in id order (as plans write them) take the join-as-they-are path, with the same result."""
    for stratum in manifest["strata"]:
        stratum["candidates"].sort(key=lambda candidate: candidate["id"])
    assert draw.canonical_manifest(manifest) == reference_canonical(manifest)
    assert draw.compute(manifest, randomness, workers=1) == reference_bundle(manifest, randomness)


@FAST
@given(manifests(), RANDOMNESS, st.randoms(use_true_random=False))
def test_canonical_form_does_not_depend_on_order(manifest, randomness, rng):
    shuffled = copy.deepcopy(manifest)
    rng.shuffle(shuffled["strata"])
    for stratum in shuffled["strata"]:
        rng.shuffle(stratum["candidates"])
        stratum["candidates"] = [dict(reversed(list(c.items()))) for c in stratum["candidates"]]
    rng.shuffle(shuffled["inspectors"])
    rng.shuffle(shuffled["conflicts"])
    shuffled = dict(reversed(list(shuffled.items())))

    assert draw.canonical_manifest(shuffled) == draw.canonical_manifest(manifest)
    assert draw.commitment(shuffled) == draw.commitment(manifest)
    one, other = draw.compute(manifest, randomness), draw.compute(shuffled, randomness)
    assert other["manifest"] is shuffled  # published as given…
    del one["manifest"], other["manifest"]
    assert one == other  # …and everything else identical


def test_helper_processes_change_nothing():
    manifest = synthetic_manifest(30_000, max_tasks=2)
    alone = draw.compute(manifest, "2026-320", workers=1)
    assert alone == reference_bundle(manifest, "2026-320")
    assert alone["unassigned"], "the load limit is reached, so the top-k shortcut of the assignment is exercised"
    assert draw.compute(manifest, "2026-320", workers=2) == alone
    assert draw.compute(manifest, "2026-320", workers=3) == alone
    check_promises(manifest, alone)


def test_too_few_tickets_below_the_bound_falls_back_to_all(monkeypatch):
    manifest = synthetic_manifest(3_000)
    expected = reference_bundle(manifest, "x")
    monkeypatch.setattr(draw, "_bound", lambda quota, size: b"\x00\x01" + bytes(30))
    assert draw.compute(manifest, "x", workers=1) == expected


def test_assignment_ranks_again_when_the_kept_inspectors_are_all_busy(monkeypatch):
    # One unit, 12 inspectors (more than the team_size + 4 kept), each may take one task: later candidates find
    # the inspectors they ranked first already busy.
    candidates = [(f"C{number:03d}", "410402") for number in range(40)]
    inspectors = [(f"410402-{number:02d}", "410402") for number in range(12)]
    manifest = make_manifest([("A", 40, candidates)], inspectors, team_size=2, max_tasks=1)
    calls = []
    original = draw._rank
    monkeypatch.setattr(draw, "_rank", lambda *args: calls.append(args[-1]) or original(*args))
    bundle = draw.compute(manifest, "415")
    assert bundle == reference_bundle(manifest, "415")
    assert 2 in calls, "ranked again among the eligible inspectors"
    assert len(bundle["unassigned"]) == 40 - 6


def test_no_partial_teams():
    manifest = make_manifest(
        [("A", 3, [("E1", "410402"), ("E2", "410402"), ("E3", "410403")])],
        [("410402-1", "410402"), ("410402-2", "410402"), ("410403-1", "410403")],
        team_size=2,
        max_tasks=5,
    )
    bundle = draw.compute(manifest, "1")
    teams = {entry["id"]: entry["inspectors"] for entry in bundle["selected"]}
    assert teams["E3"] == [] and bundle["unassigned"] == ["E3"]  # one inspector in 410403: no team at all
    assert sorted(teams["E1"]) == sorted(teams["E2"]) == ["410402-1", "410402-2"]


def test_conflicts_are_respected():
    manifest = make_manifest(
        [("A", 1, [("E1", "410402")])],
        [("410402-1", "410402"), ("410402-2", "410402"), ("410402-3", "410402")],
        conflicts=[("410402-2", "E1")],
        team_size=2,
    )
    assert draw.compute(manifest, "1")["selected"][0]["inspectors"] in (
        ["410402-1", "410402-3"],
        ["410402-3", "410402-1"],
    )
    manifest["conflicts"].append(["410402-1", "E1"])
    assert draw.compute(manifest, "1")["unassigned"] == ["E1"]


def test_max_tasks_is_respected():
    manifest = make_manifest(
        [("A", 5, [(f"E{number}", "410402") for number in range(5)])],
        [("410402-1", "410402"), ("410402-2", "410402")],
        team_size=2,
        max_tasks=3,
    )
    bundle = draw.compute(manifest, "7")
    assert [len(entry["inspectors"]) for entry in bundle["selected"]] == [2, 2, 2, 0, 0]
    assert bundle["unassigned"] == [entry["id"] for entry in bundle["selected"][3:]]


def test_units_must_match():
    manifest = make_manifest(
        [("A", 2, [("E1", "410402"), ("E2", "410403")])],
        [("410402-1", "410402"), ("410403-1", "410403")],
        team_size=1,
    )
    teams = {entry["id"]: entry["inspectors"] for entry in draw.compute(manifest, "7")["selected"]}
    assert teams == {"E1": ["410402-1"], "E2": ["410403-1"]}


def test_a_quota_larger_than_the_stratum_selects_all():
    manifest = make_manifest([("A", 99, [("E1", "u"), ("E2", "u"), ("E3", "u")])], [("I1", "u")], team_size=1)
    bundle = draw.compute(manifest, "7")
    assert sorted(entry["id"] for entry in bundle["selected"]) == ["E1", "E2", "E3"]
    assert bundle == reference_bundle(manifest, "7")


def test_a_quota_of_zero_selects_nothing():
    manifest = make_manifest([("A", 0, [("E1", "u")]), ("B", 1, [("E2", "u")])], [("I1", "u")], team_size=1)
    bundle = draw.compute(manifest, "7")
    assert [entry["id"] for entry in bundle["selected"]] == ["E2"]


def test_empty_strata_and_no_inspectors():
    manifest = make_manifest([("A", 3, []), ("B", 2, [("E1", "u")])], [])
    assert draw.compute(manifest, "7") == reference_bundle(manifest, "7")
    assert draw.compute(manifest, "7")["unassigned"] == ["E1"]


def test_randomness_is_taken_verbatim():
    manifest = vector()["manifest"]
    assert draw.compute(manifest, "415")["seed"] != draw.compute(manifest, "415 ")["seed"]
    with pytest.raises(TypeError):
        draw.compute(manifest, 415)


def test_compute_returns_the_manifest_as_given():
    manifest = vector()["manifest"]
    assert draw.compute(manifest, "415")["manifest"] is manifest


# ---------------------------------------------------------------------------------------------------------------------
# verify()


def test_verify_passes_on_the_vector():
    assert draw.verify(vector()) == []


def test_verify_reports_a_changed_ticket():
    bundle = vector()
    bundle["selected"][3]["ticket"] = "00" * 32
    problems = draw.verify(bundle)
    assert len(problems) == 1 and problems[0].startswith('selected[3].ticket 不一致：bundle 中为 "0000')
    assert VECTOR["selected"][3]["ticket"] in problems[0]


def test_verify_reports_a_swapped_inspector():
    bundle = vector()
    bundle["selected"][0]["inspectors"] = ["410402-002", "410402-001"]
    problems = draw.verify(bundle)
    assert problems == [
        'selected[0].inspectors 不一致：bundle 中为 ["410402-002", "410402-001"]，重新计算为 ["410402-000", "410402-001"]'
    ]


def test_verify_reports_swapped_order_of_a_team():
    bundle = vector()
    bundle["selected"][1]["inspectors"].reverse()
    assert [problem.split("：")[0] for problem in draw.verify(bundle)] == ["selected[1].inspectors 不一致"]


def test_verify_reports_a_changed_randomness():
    bundle = vector()
    bundle["randomness"] = "416"
    problems = draw.verify(bundle)
    assert problems[0].startswith("seed 不一致")
    assert not any(problem.startswith("commitment") for problem in problems)
    assert any(problem.startswith("selected[0].id 不一致") for problem in problems)


def test_verify_reports_a_changed_manifest_as_a_commitment_mismatch():
    bundle = vector()
    bundle["manifest"]["strata"][0]["quota"] = 2
    problems = draw.verify(bundle)
    assert problems[0].startswith(f'commitment 不一致：bundle 中为 "{VECTOR["commitment"]}"，重新计算为 "')
    assert problems[1].startswith("seed 不一致")


def test_verify_reports_a_changed_commitment_alone():
    bundle = vector()
    bundle["commitment"] = "0" * 64
    assert [problem.split("：")[0] for problem in draw.verify(bundle)] == ["commitment 不一致"]


def test_verify_reports_a_changed_unassigned_list():
    bundle = vector()
    bundle["unassigned"] = bundle["unassigned"][:2]
    assert [problem.split("：")[0] for problem in draw.verify(bundle)] == ["unassigned 不一致"]


def test_verify_reports_missing_and_extra_entries():
    bundle = vector()
    extra = bundle["selected"].pop()
    problems = draw.verify(bundle)
    assert (
        problems[0]
        == f"selected 条数不一致：bundle 中为 {len(VECTOR['selected']) - 1} 条，重新计算为 {len(VECTOR['selected'])} 条"
    )
    assert problems[1].startswith(f"selected[{len(VECTOR['selected']) - 1}] 缺失")
    bundle["selected"] += [extra, extra]
    assert draw.verify(bundle)[-1].startswith(f"selected[{len(VECTOR['selected'])}] 多余")


def test_verify_reports_the_bundle_shape():
    assert draw.verify([]) == ["bundle 必须是 JSON 对象，实际为 []"]
    bundle = vector()
    del bundle["seed"]
    bundle["note"] = "x"
    bundle["selected"][0]["note"] = "x"
    assert draw.verify(bundle) == [
        "bundle 缺少字段 seed",
        'bundle 含有规范之外的字段 "note"',
        'selected[0] 含有规范之外的字段 "note"',
    ]
    bundle = vector()
    del bundle["manifest"]
    assert draw.verify(bundle)[-1] == "没有 manifest 或 randomness，无法重新计算"


def test_verify_reports_an_invalid_manifest():
    bundle = vector()
    bundle["manifest"]["team_size"] = 0
    assert draw.verify(bundle) == ["manifest 无效：team_size 必须是 ≥ 1 的整数，实际为 0"]


def test_verify_of_a_wrong_published_commitment():
    manifest = vector()["manifest"]
    bundle = draw.compute(manifest, "415", published_commitment="f" * 64)
    assert draw.verify(bundle)[0].startswith('commitment 不一致：bundle 中为 "ffff')


# ---------------------------------------------------------------------------------------------------------------------
# Invalid manifests


def problems_of(change) -> list[str]:
    manifest = vector()["manifest"]
    change(manifest)
    problems = draw.validate_manifest(manifest)
    with pytest.raises(draw.ManifestError) as raised:
        draw.compute(manifest, "415")
    assert raised.value.problems == problems
    assert isinstance(raised.value, ValueError)
    return problems


def test_the_vector_manifest_is_valid():
    assert draw.validate_manifest(vector()["manifest"]) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda m: m.update(algorithm="jianguan-draw/2"),
            'algorithm 必须是 "jianguan-draw/1"，实际为 "jianguan-draw/2"',
        ),
        (lambda m: m.pop("beacon"), "beacon 缺失"),
        (lambda m: m.update(beacon=""), "beacon 不能为空：必须事先写明将采用的公开随机源"),
        (lambda m: m.update(plan=2026), "plan 必须是字符串，实际为 2026"),
        (lambda m: m.update(team_size=0), "team_size 必须是 ≥ 1 的整数，实际为 0"),
        (lambda m: m.update(team_size=True), "team_size 必须是 ≥ 1 的整数，实际为 true"),
        (lambda m: m.update(max_tasks=0), "max_tasks 必须是 ≥ 1 的整数，实际为 0"),
        (lambda m: m.update(max_tasks=2.0), "max_tasks 必须是 ≥ 1 的整数，实际为 2.0"),
        (lambda m: m.update(strata={}), "strata 必须是数组，实际为 {}"),
        (lambda m: m["strata"][1].update(quota=-1), "strata[1].quota 必须是 ≥ 0 的整数，实际为 -1"),
        (lambda m: m["strata"][1].update(quota=1.5), "strata[1].quota 必须是 ≥ 0 的整数，实际为 1.5"),
        (lambda m: m["strata"][1].update(quota="3"), 'strata[1].quota 必须是 ≥ 0 的整数，实际为 "3"'),
        (lambda m: m["strata"][1].update(name="A"), 'strata[1].name 重复："A"（分层名称必须唯一）'),
        (lambda m: m["strata"][1].update(name=""), 'strata[1].name 必须是非空字符串，实际为 ""'),
        (
            lambda m: m["strata"][0]["candidates"][2].update(id="91410402MA38586５8Y"),
            'strata[0].candidates[2].id 只能包含 ASCII 字符，实际为 "91410402MA38586５8Y"',
        ),
        (
            lambda m: m["strata"][0]["candidates"][2].update(id=""),
            'strata[0].candidates[2].id 必须是非空字符串，实际为 ""',
        ),
        (
            lambda m: m["strata"][0]["candidates"][2].update(id=7),
            "strata[0].candidates[2].id 必须是非空字符串，实际为 7",
        ),
        (lambda m: m["strata"][0]["candidates"][2].pop("unit"), "strata[0].candidates[2].unit 缺失"),
        (
            lambda m: m["strata"][0]["candidates"][2].update(unit=""),
            'strata[0].candidates[2].unit 必须是非空字符串，实际为 ""',
        ),
        (
            lambda m: m["strata"][0]["candidates"].append("91410402MA0000001X"),
            'strata[0].candidates[63] 必须是对象，实际为 "91410402MA0000001X"',
        ),
        (
            lambda m: m["strata"][2]["candidates"].append(dict(m["strata"][0]["candidates"][5])),
            '检查对象 "91410402MA01709972" 出现了不止一次（strata[0].candidates[5] 与 strata[2].candidates[57]）：每个对象至多属于一个分层',
        ),
        (
            lambda m: m["strata"][0]["candidates"].append(dict(m["strata"][0]["candidates"][5])),
            '检查对象 "91410402MA01709972" 出现了不止一次（strata[0].candidates[5] 与 strata[0].candidates[63]）：每个对象至多属于一个分层',
        ),
        (lambda m: m["inspectors"].append(dict(m["inspectors"][0])), 'inspectors 中 id 重复："410402-000"'),
        (lambda m: m["inspectors"][0].pop("unit"), "inspectors[0].unit 缺失"),
        (lambda m: m["inspectors"][0].update(id="检查员"), 'inspectors[0].id 只能包含 ASCII 字符，实际为 "检查员"'),
        (lambda m: m.update(conflicts=None), "conflicts 必须是数组，实际为 null"),
        (
            lambda m: m["conflicts"].append(["410402-000"]),
            'conflicts[15] 必须是 [检查人员 id, 检查对象 id] 两个字符串，实际为 ["410402-000"]',
        ),
        (
            lambda m: m["conflicts"].append(["410402-000", 91410402]),
            'conflicts[15] 必须是 [检查人员 id, 检查对象 id] 两个字符串，实际为 ["410402-000", 91410402]',
        ),
    ],
)
def test_invalid_manifests_name_the_problem(change, expected):
    assert problems_of(change) == [expected]


def test_every_problem_is_reported():
    def change(manifest):
        manifest["team_size"] = 0
        manifest["max_tasks"] = -1
        manifest["strata"][0]["quota"] = None

    assert problems_of(change) == [
        "team_size 必须是 ≥ 1 的整数，实际为 0",
        "max_tasks 必须是 ≥ 1 的整数，实际为 -1",
        "strata[0].quota 必须是 ≥ 0 的整数，实际为 null",
    ]


def test_values_json_cannot_write():
    manifest = vector()["manifest"]
    manifest["strata"][0]["candidates"][0]["since"] = {2026}
    with pytest.raises(
        draw.ManifestError, match="manifest 无法写成规范 JSON：Object of type set is not JSON serializable"
    ):
        draw.compute(manifest, "1", workers=2)
    with pytest.raises(draw.ManifestError, match="无法写成规范 JSON"):
        draw.canonical_manifest(manifest)


def test_keys_must_be_strings():
    manifest = vector()["manifest"]
    manifest[1] = "one"
    manifest["strata"][0][2] = "two"
    assert draw.validate_manifest(manifest) == ["manifest 的键必须都是字符串", "strata[0] 的键必须都是字符串"]


def test_manifest_errors_keep_their_problems_through_pickling():
    error = pickle.loads(pickle.dumps(draw.ManifestError(["a", "b"])))
    assert (error.problems, str(error)) == (["a", "b"], "manifest 无效：a；b")


def test_a_manifest_that_is_not_an_object():
    assert draw.validate_manifest([]) == ["manifest 必须是 JSON 对象，实际为 []"]


def test_many_problems_are_counted_not_listed():
    manifest = vector()["manifest"]
    manifest["strata"][1]["candidates"] = [{"id": "坏"}] * 300
    problems = draw.validate_manifest(manifest)
    assert len(problems) == draw.MAX_PROBLEMS + 1
    assert problems[-1] == f"……另有 {600 - draw.MAX_PROBLEMS} 处问题未列出"


def test_duplicates_are_found_with_helper_processes_too():
    manifest = synthetic_manifest(2_000)
    manifest["strata"][2]["candidates"].append(dict(manifest["strata"][0]["candidates"][0]))
    with pytest.raises(draw.ManifestError, match="出现了不止一次"):
        draw.compute(manifest, "x", workers=2)


# ---------------------------------------------------------------------------------------------------------------------
# The command line, run as the citizen runs it


def run(*args: str, cwd: Path | None = None, script: Path = DRAW_PY, isolated: bool = False):
    flags = ["-I", "-S"] if isolated else []
    return subprocess.run(
        [sys.executable, *flags, str(script), *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


@pytest.fixture
def files(tmp_path):
    (tmp_path / "bundle.json").write_text(VECTOR_TEXT, encoding="utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps(VECTOR["manifest"], ensure_ascii=False), encoding="utf-8")
    return tmp_path


def test_cli_verify_passes(files):
    result = run("verify", str(files / "bundle.json"))
    assert (result.returncode, result.stdout) == (0, "验证通过 / verified\n")


def test_cli_verify_fails_listing_every_difference(files):
    bundle = vector()
    bundle["selected"][3]["ticket"] = "00" * 32
    bundle["unassigned"] = []
    (files / "bundle.json").write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    result = run("verify", str(files / "bundle.json"))
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0] == "验证失败 / verification failed：2 处不一致"
    assert lines[1].startswith("- selected[3].ticket 不一致") and lines[2].startswith("- unassigned 不一致")


def test_cli_compute_prints_the_bundle(files):
    result = run("compute", str(files / "manifest.json"), "--randomness", "415")
    assert result.returncode == 0
    assert result.stdout == VECTOR_TEXT + "\n"


def test_cli_compute_writes_the_vector_byte_for_byte(files):
    result = run("compute", str(files / "manifest.json"), "--randomness", "415", "--output", str(files / "out.json"))
    assert result.returncode == 0, result.stderr
    assert (files / "out.json").read_bytes() == VECTOR_PATH.read_bytes()
    assert VECTOR["commitment"] in result.stderr


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "无法读取文件"),
        ('{"manifest": ', "不是有效的 JSON"),
        (b"\xff\xfe\x00", "不是有效的 JSON"),
        ('{"seed": "a", "seed": "b"}', 'JSON 对象中有重复的键 "seed"'),
        ('{"x": NaN}', "非标准的常量 NaN"),
    ],
)
def test_cli_bad_input_exits_2(files, content, message):
    path = files / "input.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content, encoding="utf-8")
    for args in (["verify", str(path)], ["compute", str(path), "--randomness", "1"]):
        result = run(*args)
        assert result.returncode == 2, result
        assert message in result.stderr


def test_cli_compute_of_an_invalid_manifest_exits_2(files):
    manifest = vector()["manifest"]
    manifest["max_tasks"] = 0
    (files / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run("compute", str(files / "manifest.json"), "--randomness", "1")
    assert result.returncode == 2
    assert "max_tasks 必须是 ≥ 1 的整数" in result.stderr


def test_cli_usage_errors_exit_2():
    assert run().returncode == 2
    assert run("compute", "manifest.json").returncode == 2  # --randomness is required


def test_cli_main_can_be_called_in_process(files, capsys):
    assert draw.main(["verify", str(files / "bundle.json")]) == 0
    assert capsys.readouterr().out == "验证通过 / verified\n"


def test_runs_standalone_from_a_copy(tmp_path):
    """The citizen's situation: draw.py alone in a folder, no Jianguan, no site-packages (python -I -S)."""
    shutil.copy(DRAW_PY, tmp_path / "draw.py")
    (tmp_path / "bundle.json").write_text(VECTOR_TEXT, encoding="utf-8")
    (tmp_path / "manifest.json").write_text(json.dumps(VECTOR["manifest"]), encoding="utf-8")
    probe = subprocess.run([sys.executable, "-I", "-S", "-c", "import jianguan"], capture_output=True, cwd=tmp_path)
    assert probe.returncode != 0, "the project must not be importable in this check"

    result = run("verify", "bundle.json", cwd=tmp_path, script=Path("draw.py"), isolated=True)
    assert (result.returncode, result.stdout, result.stderr) == (0, "验证通过 / verified\n", "")
    result = run(
        "compute",
        "manifest.json",
        "--randomness",
        "415",
        "--output",
        "out.json",
        cwd=tmp_path,
        script=Path("draw.py"),
        isolated=True,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out.json").read_text(encoding="utf-8") == VECTOR_TEXT
