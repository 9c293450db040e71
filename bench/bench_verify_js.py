"""Benchmark of the browser verifier (``jianguan/inspections/verify.html``, issue 22) against ``draw.py verify``.

    .venv/bin/python bench/bench_verify_js.py --sizes 100000 1000000 [--repeat 3]

For each size N: a manifest of N candidates shaped as in ``bench_draw.py`` (four risk strata, 3.65 % drawn, one
station per 10,000 candidates with ~44 inspectors each, teams of two, 100 conflicts), drawn with ``draw.compute``
and written as a bundle file exactly as the portal publishes it. Then, on the same file:

- the browser: Debian's chromium (headless, through Playwright) opens verify.html as a saved file, the bundle is
  chosen with the file picker, and the clock runs until the verdict is shown — reading, strict JSON, the canonical
  manifest streamed through SHA-256, the seed, every ticket, the selection, the assignment, WebCrypto's checks and
  the comparison, all in the page's Web Worker. The worker's own phase times are printed beside it, and the peak
  resident memory of chromium's processes (VmHWM of the renderer that ran the worker);
- the baseline: ``python3 draw.py verify`` of the same file (load_json + verify, every core as draw.py uses them).

The targets (issue 22): 100,000 candidates ≤ 10 s on 2 cores; 1,000,000 verified without running out of memory.
Each figure is printed with os.getloadavg(), and the ratio browser / Python, measured in the same run, stays
meaningful on a busy machine.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_draw import RANDOMNESS, build_manifest  # noqa: E402

from jianguan.inspections import draw  # noqa: E402

VERIFY_HTML = Path(draw.__file__).with_name("verify.html")
CHROMIUM = os.environ.get("JIANGUAN_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# Keeps the worker's phase times (verify.html sends them with its verdict) where the benchmark can read them.
KEEP_TIMINGS = """(() => {
  const Original = window.Worker;
  window.__timings = [];
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => { if (e.data.timings) window.__timings.push(e.data.timings); });
    }
  };
})()"""
PHASES = ("parse", "commitment", "tickets", "assignment", "end")
PHASE_NAMES = {"parse": "读取+校验", "commitment": "承诺值", "tickets": "抽签值+WebCrypto 复核", "assignment": "分配"}


def load() -> str:
    return "load {:.1f}/{:.1f}/{:.1f}".format(*os.getloadavg())


def _tree(root: int) -> list[int]:
    """root and every process descended from it."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                ppid = int(Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += children.get(pid, [])
    return found


def _peak_rss_mb(profile: str) -> float:
    """The largest VmHWM (peak resident memory) among the chromium processes using this profile directory."""
    roots = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if profile.encode() in Path(f"/proc/{entry}/cmdline").read_bytes():
                    roots.append(int(entry))
            except OSError:
                continue
    peak = 0
    for pid in {p for root in roots for p in _tree(root)}:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peak = max(peak, int(line.split()[1]))
        except OSError:
            continue
    return peak / 1024


def browser_verify(path: Path, repeat: int) -> list[dict]:
    from playwright.sync_api import sync_playwright

    runs = []
    with sync_playwright() as pw:
        for _ in range(repeat):  # a fresh browser per run: the peak memory is this run's
            profile = tempfile.mkdtemp(prefix="jianguan-bench-verify-")
            context = pw.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, args=ARGS, headless=True, locale="zh-CN"
            )
            page = context.new_page()
            page.add_init_script(KEEP_TIMINGS)
            page.goto(VERIFY_HTML.as_uri())
            started = time.perf_counter()
            page.locator("#file").set_input_files(str(path))
            page.wait_for_selector("#result[data-verdict]", timeout=1_800_000)
            elapsed = time.perf_counter() - started
            verdict = page.locator("#result").get_attribute("data-verdict")
            timings = page.evaluate("window.__timings[0]")
            peak = _peak_rss_mb(profile)
            context.close()
            assert verdict == "verified", page.locator("#result").inner_text()[:500]
            shutil.rmtree(profile, ignore_errors=True)
            phases = {name: (timings[after] - timings[name]) / 1000 for name, after in zip(PHASES, PHASES[1:])}
            phases["selftest"] = (timings["parse"] - timings["start"]) / 1000
            runs.append({"seconds": elapsed, "phases": phases, "peak_mb": peak, "load": load()})
    return runs


def python_verify(path: Path, repeat: int) -> list[tuple[float, str]]:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        problems = draw.verify(draw.load_json(str(path)))
        runs.append((time.perf_counter() - started, load()))
        assert problems == [], problems[:3]
    return runs


def bench(n: int, repeat: int, folder: Path) -> None:
    print(f"\n== 浏览器验证 verify.html：{n:,} 个候选对象 ==")
    manifest, quotas = build_manifest(n, stations=max(1, n // 10_000))
    bundle = draw.compute(manifest, RANDOMNESS)
    path = folder / f"bundle-{n}.json"
    path.write_text(draw.dump_bundle(bundle), encoding="utf-8")
    selected = len(bundle["selected"])
    del manifest, bundle
    print(f"  结果包 {path.stat().st_size / 1e6:.1f} MB；抽中 {selected:,} 个，检查人员每单位约 44 名")

    python_runs = python_verify(path, repeat)
    t_python, python_load = min(python_runs)
    print(f"  基线 python3 draw.py verify（读取+重算+比对）: {t_python:.2f} s  [{python_load}]")

    runs = browser_verify(path, repeat)
    best = min(runs, key=lambda run: run["seconds"])
    phases = "，".join(f"{PHASE_NAMES[k]} {v:.2f} s" for k, v in best["phases"].items() if k in PHASE_NAMES)
    each = ", ".join(f"{run['seconds']:.2f}" for run in runs)
    print(
        f"  chromium verify.html（选择文件到显示“验证通过”）: {best['seconds']:.2f} s  [{best['load']}]"
        f"（{len(runs)} 次取最快；各次 {each} s）"
    )
    print(f"    其中 SHA-256 自检 {best['phases']['selftest']:.2f} s，{phases}")
    print(f"    chromium 进程峰值常驻内存 {max(r['peak_mb'] for r in runs):,.0f} MB")
    print(f"  比值 浏览器 / Python = {best['seconds'] / t_python:.2f}×")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(f"chromium: {CHROMIUM}；CPU 核数 {os.cpu_count()}；{load()}")
    with tempfile.TemporaryDirectory(prefix="jianguan-bench-verify-") as folder:
        for n in args.sizes:
            bench(n, args.repeat, Path(folder))


if __name__ == "__main__":
    main()
