"""The published text of a bundle: byte for byte the spec's test vector for small bundles (indent=1), compact and
streamed above draw.PRETTY_MAX_CANDIDATES (the C encoder), and either way a bundle that verifies; `jianguan draw`
runs draw.py without setting Django up."""

from __future__ import annotations

import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from jianguan.inspections import draw

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
VECTOR_PATH = HERE / "data" / "draw-v1-vector.json"
VECTOR_TEXT = VECTOR_PATH.read_text(encoding="utf-8")
VECTOR = json.loads(VECTOR_TEXT)


@pytest.fixture(autouse=True)
def _clear_caches():
    """Overrides the project-wide fixture of the same name, which clears Django's caches: no Django here."""
    yield


def _large_manifest(n: int) -> dict:
    manifest = json.loads(json.dumps(VECTOR["manifest"]))
    units = sorted({c["unit"] for s in manifest["strata"] for c in s["candidates"]})
    manifest["strata"] = [
        {"name": "大", "quota": 7, "candidates": [{"id": f"9141040{i:011d}", "unit": units[i % len(units)]}
                                                 for i in range(n)]}
    ]
    manifest["conflicts"] = []
    return manifest


def _env() -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JIANGUAN_", "DATABASE_URL", "DJANGO_", "PYTEST"))}
    return env


def test_a_small_bundle_is_written_byte_for_byte_as_the_spec_vector():
    bundle = draw.compute(VECTOR["manifest"], VECTOR["randomness"])
    out = io.StringIO()
    draw.write_bundle(bundle, out)
    assert out.getvalue() == draw.dump_bundle(bundle) == VECTOR_TEXT


def test_the_command_writes_the_vector_bytes_and_verifies_them(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(VECTOR["manifest"], ensure_ascii=False), encoding="utf-8")
    out = tmp_path / "bundle.json"
    assert draw.main(["compute", str(manifest), "--randomness", VECTOR["randomness"], "--output", str(out)]) == 0
    assert out.read_bytes() == VECTOR_PATH.read_bytes()
    assert draw.main(["verify", str(out)]) == 0


def test_a_large_bundle_is_compact_json_identical_to_the_c_encoders_and_verifies(tmp_path):
    manifest = _large_manifest(draw.PRETTY_MAX_CANDIDATES + 1)
    bundle = draw.compute(manifest, "415")
    text = draw.dump_bundle(bundle)
    assert text == json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))
    assert "\n" not in text and json.loads(text) == bundle
    path = tmp_path / "bundle.json"
    with path.open("w", encoding="utf-8") as handle:
        draw.write_bundle(bundle, handle)
    assert path.read_text(encoding="utf-8") == text
    assert draw.verify(draw.load_json(str(path))) == []
    # and the citizen's copy of draw.py, run as a script, verifies those bytes
    done = subprocess.run([sys.executable, str(Path(draw.__file__)), "verify", str(path)], capture_output=True,
                          text=True, env=_env(), cwd=tmp_path, timeout=300)
    assert done.returncode == 0 and "验证通过" in done.stdout


def test_streamed_pieces_join_to_exactly_the_compact_text(monkeypatch):
    monkeypatch.setattr(draw, "_PIECE_ITEMS", 2)  # cut every list longer than two items
    bundle = draw.compute(VECTOR["manifest"], VECTOR["randomness"])
    pieces = list(draw._pieces(bundle))
    assert len(pieces) > 20
    assert "".join(pieces) == json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))
    odd = {"a": [], "b": {}, "c": [1, 2, 3, 4, 5], "d": [[1, 2, 3], {"x": "中"}], 1: "non-text key"}
    assert "".join(draw._pieces(odd)) == json.dumps(odd, ensure_ascii=False, separators=(",", ":"))


def test_a_manifest_spliced_in_as_its_canonical_text_gives_the_same_bundle_text(monkeypatch):
    monkeypatch.setattr(draw, "PRETTY_MAX_CANDIDATES", 3)  # the compact layout, on the vector's Chinese names
    monkeypatch.setattr(draw, "_PIECE_ITEMS", 2)
    canonical = draw.canonical_manifest(VECTOR["manifest"]).decode()
    parsed = json.loads(canonical)
    assert parsed != VECTOR["manifest"]  # the vector's lists are not in canonical order: the parsed object is used
    bundle = draw.compute(parsed, VECTOR["randomness"])
    text = draw.dump_bundle(bundle, manifest_text=canonical)
    assert text == draw.dump_bundle(bundle) == json.dumps(bundle, ensure_ascii=False, separators=(",", ":"))
    assert draw.verify(json.loads(text)) == []


def test_the_command_on_a_published_manifest_writes_its_text_as_it_is_and_still_refuses_duplicate_keys(
    tmp_path, monkeypatch, capsys
):
    """``draw compute`` reads a manifest without the per-object duplicate-key check and, when the file is the
    canonical text of the commitment (every published manifest is), puts its text into the bundle instead of
    encoding the manifest again. Same bundle bytes either way; a duplicate key is still refused."""
    monkeypatch.setattr(draw, "PRETTY_MAX_CANDIDATES", 3)  # the compact layout, on the vector's Chinese names
    canonical = draw.canonical_manifest(VECTOR["manifest"])
    published, other = tmp_path / "published.json", tmp_path / "other.json"
    published.write_bytes(b"\xef\xbb\xbf" + canonical + b"\n")  # a BOM and a final newline are tolerated
    other.write_text(json.dumps(json.loads(canonical), ensure_ascii=False, indent=2), encoding="utf-8")
    spliced = []
    real = draw.bundle_pieces
    monkeypatch.setattr(draw, "bundle_pieces", lambda b, *, manifest_text=None: spliced.append(manifest_text)
                        or real(b, manifest_text=manifest_text))
    texts = []
    for path in (published, other):
        out = tmp_path / f"bundle-{path.stem}.json"
        assert draw.main(["compute", str(path), "--randomness", VECTOR["randomness"], "--output", str(out)]) == 0
        texts.append(out.read_text(encoding="utf-8"))
    assert spliced == [canonical.decode(), None]  # the published file's text used as it is; the other re-encoded
    expected = json.dumps(draw.compute(json.loads(canonical), VECTOR["randomness"]), ensure_ascii=False,
                          separators=(",", ":"))
    assert texts == [expected, expected]
    # a duplicate key: refused as before, whether the draw would accept the object read or not
    duplicated = canonical.decode().replace('"team_size":', '"team_size":9,"team_size":', 1)
    broken = re.sub(r'"team_size":(\d+)', r'"team_size":\1,"team_size":"x"', canonical.decode(), count=1)
    assert broken != canonical.decode() and draw.validate_manifest(json.loads(broken))  # last value wins: invalid
    for text in (duplicated, broken, "{\n" + duplicated[1:]):  # the last does not begin as a canonical text
        (tmp_path / "dup.json").write_text(text, encoding="utf-8")
        capsys.readouterr()
        assert draw.main(["compute", str(tmp_path / "dup.json"), "--randomness", "415"]) == 2
        assert "重复的键" in capsys.readouterr().err


def test_jianguan_draw_runs_without_setting_django_up(tmp_path):
    manifest = tmp_path / "manifest.json"
    manifest.write_text(json.dumps(VECTOR["manifest"], ensure_ascii=False), encoding="utf-8")
    probe = (
        "import sys\n"
        "from jianguan.__main__ import main\n"
        "try:\n"
        f"    main(['draw', 'compute', {str(manifest)!r}, '--randomness', {VECTOR['randomness']!r}, "
        f"'--output', {str(tmp_path / 'bundle.json')!r}])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code, 'django.conf' in sys.modules)\n"
    )
    env = _env()
    env["JIANGUAN_DEBUG"] = "0"  # would refuse to start without a secret key, had settings been read
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=120)
    assert done.stdout.split() == ["exit", "0", "False"], done.stderr[-2000:]
    assert (tmp_path / "bundle.json").read_text(encoding="utf-8") == VECTOR_TEXT
