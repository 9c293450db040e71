"""The browser verifier (verify.html: plain JavaScript in a Web Worker) and draw.py verify agree, message for message:
on the spec's test vector, on the tampered bundles a citizen must see refused, and on thousands of generated draws —
run under Debian's chromium, all in one page."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest

from jianguan.inspections import draw

from .verifier_js import BAD_TEXTS, VERIFY_HTML, js_verdict, python_verdict, random_bundle_texts, run_worker

pytestmark = pytest.mark.browser

VECTOR_FILE = Path(draw.__file__).parent / "tests" / "data" / "draw-v1-vector.json"
VECTOR = json.loads(VECTOR_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def verifier(browser):
    """verify.html opened as a saved file (file://), as a citizen would run it offline."""
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(120_000)
    errors = []
    page.on("pageerror", lambda error: errors.append(error))
    page.goto(VERIFY_HTML.as_uri())
    yield page
    context.close()
    assert errors == []


def _text(bundle) -> str:
    return json.dumps(bundle, ensure_ascii=False, indent=1)


def test_the_spec_vector_is_reproduced_field_by_field(verifier):
    [result] = run_worker(verifier, [VECTOR_FILE.read_text(encoding="utf-8")])
    assert result["type"] == "done"
    assert (
        result["problems"] == []
    )  # every field recomputed equals the vector's: commitment, seed, selected, unassigned
    summary = result["summary"]
    assert summary["commitment"] == VECTOR["commitment"] == draw.commitment(VECTOR["manifest"])
    assert summary["seed"] == VECTOR["seed"]
    assert summary["selected"] == len(VECTOR["selected"]) and summary["unassigned"] == len(VECTOR["unassigned"])
    assert summary["candidates"] == sum(len(s["candidates"]) for s in VECTOR["manifest"]["strata"])
    assert result["webcrypto"] is True  # the saved file is a secure context: WebCrypto checked the hashes too


def _tampered(change) -> dict:
    bundle = copy.deepcopy(VECTOR)
    change(bundle)
    return bundle


def _swap_teams(bundle):
    first, second = bundle["selected"][0], bundle["selected"][1]
    first["inspectors"], second["inspectors"] = second["inspectors"], first["inspectors"]


def _remove_candidate(bundle):
    removed = bundle["selected"][0]["id"]
    for stratum in bundle["manifest"]["strata"]:
        stratum["candidates"] = [c for c in stratum["candidates"] if c["id"] != removed]


def test_tampered_bundles_are_refused_with_draw_py_messages(verifier, tmp_path):
    cases = {
        "swapped team": (_swap_teams, "selected[0].inspectors 不一致：bundle 中为 "),
        "changed randomness": (lambda b: b.update(randomness="416"), "seed 不一致：bundle 中为 "),
        "candidate removed": (_remove_candidate, "commitment 不一致：bundle 中为 "),
        "selected entry removed": (
            lambda b: b["selected"].pop(3),
            "selected 条数不一致：bundle 中为 19 条，重新计算为 20 条",
        ),
    }
    texts = [_text(_tampered(change)) for change, _first in cases.values()]
    results = run_worker(verifier, texts)
    for (label, (_change, first)), text, result in zip(cases.items(), texts, results):
        expected = python_verdict(text, tmp_path)["problems"]
        assert result["type"] == "done", label
        assert result["problems"] == expected, label
        assert result["problems"][0].startswith(first), (label, result["problems"][0])
    swapped = results[0]
    want = VECTOR["selected"][0]
    assert swapped["problems"][0] == (
        f"selected[0].inspectors 不一致：bundle 中为 {json.dumps(VECTOR['selected'][1]['inspectors'], ensure_ascii=False)}，"
        f"重新计算为 {json.dumps(want['inspectors'], ensure_ascii=False)}"
    )
    assert swapped["context"] == {"index": 0, "stratum": want["stratum"], "id": want["id"]}


def test_js_and_python_verifiers_agree_on_thousands_of_generated_draws(verifier, tmp_path):
    texts = random_bundle_texts(2500)
    results = run_worker(verifier, texts)
    verified = refused = 0
    for index, (text, result) in enumerate(zip(texts, results)):
        expected = python_verdict(text, tmp_path)
        assert js_verdict(result) == expected, f"bundle #{index}:\n{text[:3000]}"
        if expected.get("problems") == []:
            verified += 1
        else:
            refused += 1
    assert verified > 500 and refused > 1000  # both verdicts well represented


def test_text_that_is_not_strict_json_is_refused_like_draw_py(verifier, tmp_path):
    results = run_worker(verifier, BAD_TEXTS, name="bundle.json")
    for text, result in zip(BAD_TEXTS, results):
        expected = python_verdict(text, tmp_path)
        assert result["type"] == "error" and "error" in expected, text
        assert result["message"].startswith("bundle.json："), result["message"]
        if "重复的键" in expected["error"] or "非标准的常量" in expected["error"]:
            assert result["message"] == expected["error"]  # the same words: which keys, which constant
        else:
            assert "不是有效的 JSON" in result["message"] and "不是有效的 JSON" in expected["error"]


def test_without_webcrypto_the_page_s_own_sha256_still_verifies(verifier, tmp_path):
    """A page opened over plain http (not https, not localhost) gets no crypto.subtle: the verdicts are the same."""
    tampered = _tampered(_swap_teams)
    texts = [VECTOR_FILE.read_text(encoding="utf-8"), _text(tampered)]
    plain, swapped = run_worker(verifier, texts, prelude="Object.defineProperty(self, 'crypto', {value: undefined});")
    assert plain["webcrypto"] is False and plain["problems"] == []
    assert plain["summary"]["commitment"] == VECTOR["commitment"] and plain["summary"]["seed"] == VECTOR["seed"]
    assert swapped["problems"] == python_verdict(_text(tampered), tmp_path)["problems"]


def test_a_sha256_that_disagrees_with_webcrypto_stops_the_verification(verifier):
    """The page never gives a verdict computed with a SHA-256 that the browser's own does not confirm."""
    flip_a_bit = """
      const digest = crypto.subtle.digest.bind(crypto.subtle);
      crypto.subtle.digest = async (algorithm, data) => {
        const bytes = new Uint8Array(await digest(algorithm, data));
        bytes[31] ^= 1;
        return bytes.buffer;
      };
    """
    [result] = run_worker(verifier, [VECTOR_FILE.read_text(encoding="utf-8")], prelude=flip_a_bit)
    assert result == {"type": "error", "message": "本页的 SHA-256 与浏览器 WebCrypto 的结果不一致（0 字节的消息）"}
