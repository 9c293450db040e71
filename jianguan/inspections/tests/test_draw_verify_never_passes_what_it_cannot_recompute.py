"""draw.py verify never answers "verified" for a bundle it could not recompute: a manifest that every rule accepts but
that cannot be written as canonical UTF-8 (a lone surrogate in a field no rule checks), or a randomness that cannot
be encoded, is reported — the same words as the browser verifier (verify.html)."""

import copy
import json
from pathlib import Path

from jianguan.inspections import draw

VECTOR = json.loads((Path(__file__).parent / "data" / "draw-v1-vector.json").read_text(encoding="utf-8"))


def test_a_lone_surrogate_in_an_unchecked_field_is_reported_not_verified():
    bundle = copy.deepcopy(VECTOR)
    bundle["manifest"]["note"] = "\ud800"
    bundle["commitment"] = "0" * 64  # anything at all: it cannot be checked
    assert draw.validate_manifest(bundle["manifest"]) == []
    assert draw.verify(bundle) == [f"manifest 无效：{draw.NOT_UTF8}"]


def test_a_randomness_that_cannot_be_encoded_is_reported_instead_of_crashing():
    bundle = copy.deepcopy(VECTOR)
    bundle["randomness"] = "41\udc005"
    assert draw.verify(bundle) == ["randomness 含有不成对的 UTF-16 代理字符，不能编码为 UTF-8"]


def test_the_vector_still_verifies():
    assert draw.verify(copy.deepcopy(VECTOR)) == []
