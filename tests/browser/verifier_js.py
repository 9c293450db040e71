"""Running the browser verifier (jianguan/inspections/verify.html) from Python: its Web Worker, fed bundles one after
another in one page, and draws of every shape to feed it (shared by the browser tests and bench/bench_verify_js.py)."""

from __future__ import annotations

import json
import random
from pathlib import Path

from jianguan.inspections import draw

VERIFY_HTML = Path(draw.__file__).with_name("verify.html")

# The worker made exactly as the page makes it (from the same <script> element), fed every text in turn; returns
# each final message: {type: 'done', problems, summary, ...} or {type: 'error', message}.
RUN_WORKER = """async ({texts, name, prelude}) => {
  const source = prelude + document.getElementById('verifier-worker').textContent;
  const url = URL.createObjectURL(new Blob([source], {type: 'text/javascript'}));
  const worker = new Worker(url);
  const results = [];
  for (const text of texts) {
    const bytes = new TextEncoder().encode(text).buffer;
    results.push(await new Promise((resolve) => {
      worker.onmessage = (event) => { if (event.data.type !== 'progress') resolve(event.data); };
      worker.postMessage({bytes, name}, [bytes]);
    }));
  }
  worker.terminate();
  URL.revokeObjectURL(url);
  return results;
}"""


def run_worker(page, texts: list[str], name: str = "bundle.json", prelude: str = "") -> list[dict]:
    """``prelude``: JavaScript run in the worker before the verifier (to take WebCrypto away, for instance)."""
    return page.evaluate(RUN_WORKER, {"texts": texts, "name": name, "prelude": prelude})


def as_printed(problem: str) -> str:
    """A Python message as draw.py prints it (a lone surrogate shown as \\udXXX, as JSON.stringify shows it)."""
    return problem.encode("utf-8", "backslashreplace").decode("utf-8")


def python_verdict(text: str, tmp_path: Path, name: str = "bundle.json") -> dict:
    """What `python3 draw.py verify name` reports for this file: its problems, or the error that stops it."""
    path = tmp_path / name
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        bundle = draw.load_json(str(path))
    except draw.InputError as exc:
        return {"error": str(exc).replace(str(path), name, 1)}
    return {"problems": [as_printed(p) for p in draw.verify(bundle, workers=1)]}


def js_verdict(result: dict) -> dict:
    if result["type"] == "error":
        return {"error": result["message"]}
    return {"problems": result["problems"]}


# ----------------------------------------------------------------------------------------------------------------
# Draws of every shape: random manifests (odd ids, Chinese and astral stratum names, extra fields with floats and big
# integers, unsorted lists, conflicts), computed by draw.py, then left alone or tampered with in one of many ways.

UNITS = ["410402", "410403", "410411", "平顶山市卫东区", "4104\u00e9"]
NAMES = ["A", "B", "C", "D", "甲", "乙", "\U0001f600", "\uffee", "a b", "Z"]


def _id(rng: random.Random, i: int) -> str:
    kind = rng.random()
    if kind < 0.8:
        return f"9141040{rng.randrange(10)}MA{rng.randrange(10**8):08d}{i % 10}"
    return rng.choice(['x"q', "back\\slash", "ctl\x01", "sp ace", "~", "#", "!", "a" * 30]) + str(i)


def random_manifest(rng: random.Random) -> dict:
    units = rng.sample(UNITS, rng.randint(1, 3))
    strata, used = [], set()
    for name in rng.sample(NAMES, rng.randint(1, 4)):
        candidates = []
        for _ in range(rng.randint(0, 25)):
            ident = _id(rng, len(used))
            if ident in used:
                continue
            used.add(ident)
            candidate = {"id": ident, "unit": rng.choice(units)}
            if rng.random() < 0.05:
                candidate["name"] = rng.choice(["平顶山某公司", {"b": [1, 2.5]}, None, 10**20])
            candidates.append(candidate)
        stratum = {"name": name, "quota": rng.randint(0, len(candidates) + 2), "candidates": candidates}
        if rng.random() < 0.1:
            stratum["label"] = rng.choice(
                ["高风险", 0.1, 1e16, 1e15, -0.0, 1e22, 5e-324, 0.1 + 0.2, 1 / 3, 1e-4, 1e-5, 123456789012345.6]
                + [12345678901234567890, 2**53 + 1, -(2**63), [], {}, {"10": 1, "b": 2}]
            )
        strata.append(stratum)
    inspectors = []
    for j in range(rng.randint(0, 12)):
        unit = rng.choice(units)
        inspectors.append({"id": f"{UNITS.index(unit)}-{j:03d}", "unit": unit})
    ids = [c["id"] for s in strata for c in s["candidates"]]
    conflicts = []
    for _ in range(rng.randint(0, 4)):
        if inspectors and ids:
            conflicts.append([rng.choice(inspectors)["id"], rng.choice(ids + ["91410000MA00000000"])])
    manifest = {
        "algorithm": "jianguan-draw/1",
        "plan": f"410400-2026-{rng.randrange(1000):03d}",
        "batch": str(rng.randint(1, 3)),
        "beacon": rng.choice(["福利彩票3D 2026年第320期开奖号码", 'beacon "quoted"', "x\ny"]),
        "team_size": rng.randint(1, 3),
        "max_tasks": rng.randint(1, 4),
        "strata": strata,
        "inspectors": inspectors,
        "conflicts": conflicts,
    }
    if rng.random() < 0.1:
        manifest["note"] = rng.choice([{"z": 1, "a": [True, None]}, 1.5e-7, 2.0, "备注"])
    for values in (strata, inspectors, conflicts):
        if rng.random() < 0.5:
            rng.shuffle(values)
    for stratum in strata:
        if rng.random() < 0.5:
            rng.shuffle(stratum["candidates"])
    return manifest


def _break_manifest(rng: random.Random, manifest: dict) -> None:
    """Make the manifest invalid in one of the ways draw.py reports."""
    strata = manifest["strata"]
    first = strata[0]
    choice = rng.randrange(16)
    if choice == 0:
        first["quota"] = rng.choice([1.0, -1, True, "2", None, 2.5])
    elif choice == 1:
        manifest["team_size"] = rng.choice([0, 1.0, False, "2"])
    elif choice == 2:
        del manifest[rng.choice(["plan", "batch", "beacon", "max_tasks", "strata", "conflicts", "inspectors"])]
    elif choice == 3:
        manifest["beacon"] = ""
    elif choice == 4:
        manifest["algorithm"] = rng.choice(["jianguan-draw/2", None, 1])
    elif choice == 5:
        strata.append({"name": first["name"], "quota": 0, "candidates": []})
    elif choice == 6:
        strata.append(
            {
                "name": "dup",
                "quota": 1,
                "candidates": [dict(c) for c in first["candidates"][:2]] or [{"id": "x", "unit": "u"}] * 2,
            }
        )
    elif choice == 7:
        first["candidates"].append(
            rng.choice(
                [
                    {"id": "统一代码", "unit": "u"},
                    {"id": "", "unit": "u"},
                    {"id": 7, "unit": "u"},
                    {"id": "x7"},
                    {"id": "x8", "unit": ""},
                    "91410402",
                    [1, 2],
                    {"id": "x9", "unit": "\udc00"},
                ]
            )
        )
    elif choice == 8:
        manifest["inspectors"].append(rng.choice([{"id": "dup", "unit": "u"}, {"unit": "u"}, None]))
        manifest["inspectors"].append({"id": "dup", "unit": "u"})
    elif choice == 9:
        manifest["conflicts"].append(rng.choice([["a"], ["a", 1], "ab", ["a", "b", "c"], ["\ud800", "b"]]))
    elif choice == 10:
        strata.append(
            rng.choice(
                ["stratum", 3, None, {"quota": 1, "candidates": "none"}, {"name": "", "quota": 0, "candidates": []}]
            )
        )
    elif choice == 11:
        manifest["strata"] = rng.choice([{}, "A", 5])
    elif choice == 12:
        first["candidates"] = [{"id": f"bad-{i}", "unit": 0} for i in range(230)]  # more than 200 problems
    elif choice == 13:
        manifest["plan"] = rng.choice([2026, ["410400"], "\ud800"])
    elif choice == 14:
        manifest["note"] = "lone \udfff surrogate in a field no rule checks"
    else:
        first["name"] = rng.choice([None, 3, "\udc01"])


def _tamper(rng: random.Random, bundle: dict) -> None:
    selected = bundle["selected"]
    choice = rng.randrange(22)
    if choice == 0:
        bundle["randomness"] = bundle["randomness"] + " "
    elif choice == 1 and len(selected) >= 2:
        i, j = rng.sample(range(len(selected)), 2)
        selected[i]["inspectors"], selected[j]["inspectors"] = selected[j]["inspectors"], selected[i]["inspectors"]
    elif choice == 2 and selected:
        selected[0]["inspectors"] = list(reversed(selected[0]["inspectors"]))
    elif choice == 3:
        stratum = rng.choice(bundle["manifest"]["strata"])
        if stratum["candidates"]:
            stratum["candidates"].pop(rng.randrange(len(stratum["candidates"])))
    elif choice == 4 and selected:
        selected.pop(rng.randrange(len(selected)))
    elif choice == 5 and selected:
        selected[-1]["ticket"] = "0" * 64
    elif choice == 6 and selected:
        selected[0]["stratum"] = "Z?"
    elif choice == 7:
        del bundle[rng.choice(draw.BUNDLE_KEYS)]
    elif choice == 8:
        bundle[rng.choice(["signature", "版本", "7"])] = rng.choice([1, {"b": 1, "3": [2], "a": None}])
    elif choice == 9 and selected:
        selected[0][rng.choice(["extra", "0"])] = {"k": [1.0, 2], "1": "x"}
        selected[0]["note"] = 1
    elif choice == 10 and selected:
        selected[rng.randrange(len(selected))] = rng.choice(["entry", 5, None, [1]])
    elif choice == 11:
        bundle["unassigned"] = rng.choice([[], ["x"], "none", None, bundle["unassigned"] + ["y"]])
    elif choice == 12:
        bundle["commitment"] = rng.choice(["0" * 64, bundle["commitment"].upper(), 5])
    elif choice == 13:
        bundle["seed"] = rng.choice(["", None, bundle["seed"][::-1]])
    elif choice == 14:
        bundle["randomness"] = rng.choice([415, None, 4.15, "\udc00"])
    elif choice == 15 and selected:
        del selected[0][rng.choice(draw.SELECTED_KEYS)]
    elif choice == 16:
        selected.append(dict(selected[0]) if selected else {"stratum": "A", "id": "x", "ticket": "", "inspectors": []})
    elif choice == 17:
        bundle["selected"] = rng.choice([{}, "all", None])
    elif choice == 18:
        _break_manifest(rng, bundle["manifest"])
    elif choice == 19:
        bundle["manifest"] = rng.choice([[], "manifest", None, 3])
    elif choice == 20 and selected:
        selected[0]["inspectors"] = selected[0]["inspectors"][:1] or ["410402-999"]
    else:
        bundle["manifest"]["max_tasks"] += 1


def random_bundle_texts(count: int, seed: int = 22) -> list[str]:
    """``count`` bundle texts: about a third as computed, the rest tampered with (and a few not a bundle at all)."""
    rng = random.Random(seed)
    texts = []
    while len(texts) < count:
        manifest = random_manifest(rng)
        bundle = draw.compute(manifest, rng.choice(["415", "2026320: 4 1 5", "福彩 ３Ｄ", ""]), workers=1)
        bundle = json.loads(json.dumps(bundle))  # a copy the tampering cannot share with the manifest
        if rng.random() < 0.67:
            for _ in range(rng.choice([1, 1, 1, 2, 3])):
                try:
                    _tamper(rng, bundle)
                except (KeyError, TypeError, IndexError, AttributeError, ValueError):
                    break  # an earlier change already broke the shape this one expects: keep what we have
        if rng.random() < 0.02:
            bundle = rng.choice([[bundle], "bundle", 3])
        text = json.dumps(bundle, ensure_ascii=rng.random() < 0.1, indent=rng.choice([None, 1]))
        if not draw._is_text(text):  # a lone surrogate is written as \udXXX, as any JSON writer must
            text = json.dumps(bundle, indent=1)
        texts.append(text)
    return texts


# Texts that are not strict JSON: draw.py stops with an error, and so must the page.
BAD_TEXTS = [
    '{"manifest": 1, "manifest": 2}',
    '{"a": {"x": 1, "y": 2, "x": 3, "y": 4}}',
    '{"a": NaN}',
    '{"a": [Infinity]}',
    '{"a": -Infinity}',
    "",
    "{",
    '{"a": 1,}',
    "[1, 2] 3",
    '"\x01"',
    '{"a": "\\x"}',
]
