"""Benchmark of jianguan.registry.uscc: generate() and is_valid() over 1,000,000 codes, against naive baselines.

    .venv/bin/python bench/bench_uscc.py [N]

Baselines (measured on a sample, reported as rates):
- generate: build "MA" + six base-31 characters one at a time, compute the GB 11714 check with a plain loop, ask
  stdnum for the mod-31 character — what one writes without precomputed sums;
- is_valid: a regular expression plus stdnum's validate() inside try/except — what one writes first (and which,
  unlike is_valid(), neither checks the embedded organization code nor accepts the A/N/Y authorities).
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from stdnum.cn import uscc as stdnum_uscc  # noqa: E402
from stdnum.exceptions import ValidationError  # noqa: E402

from jianguan.registry import uscc  # noqa: E402

DIVISIONS = ("410402", "410403", "410404", "410411", "410421", "410422", "410423", "410425", "410481", "410482")
BASELINE_SAMPLE = 200_000
STRIDE = 7919  # spread serials over the whole range so every pair table is exercised


def naive_generate(division: str, entity_type: str, serial: int) -> str:
    body = ""
    for _ in range(6):
        serial, digit = divmod(serial, 31)
        body = uscc.ALPHABET[digit] + body
    org = "MA" + body
    weights = (3, 7, 9, 10, 5, 8, 4, 2)
    c = 11 - sum(int(ch, 36) * w for ch, w in zip(org, weights, strict=True)) % 11
    org += {10: "X", 11: "0"}.get(c, str(c))
    first17 = "9" + entity_type + division + org
    return first17 + stdnum_uscc.calc_check_digit(first17)


_SHAPE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{18}$")


def naive_is_valid(code: str) -> bool:
    code = code.strip().upper()
    if not _SHAPE.match(code):
        return False
    try:
        stdnum_uscc.validate(code)
    except ValidationError:
        return False
    return True


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds
    print(f"  {label:<44} {count:>9,} in {seconds:6.2f} s = {per_second:>11,.0f} /s")
    return per_second


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    jobs = [(DIVISIONS[i % len(DIVISIONS)], "123"[i % 3], (i * STRIDE) % uscc.SERIAL_LIMIT) for i in range(n)]
    sample = jobs[:BASELINE_SAMPLE]
    print(f"Python {sys.version.split()[0]}, python-stdnum {__import__('stdnum').__version__}")

    print("generate()")
    start = time.perf_counter()
    codes = [uscc.generate(d, t, s) for d, t, s in jobs]
    ours = rate("uscc.generate", n, time.perf_counter() - start)
    start = time.perf_counter()
    naive_codes = [naive_generate(d, t, s) for d, t, s in sample]
    naive = rate("naive loop + stdnum.calc_check_digit", len(sample), time.perf_counter() - start)
    assert naive_codes == codes[: len(sample)], "baseline and generate() disagree"
    print(f"  ratio {ours / naive:.1f}x (target ≥ 300,000 codes/s: {'met' if ours >= 300_000 else 'NOT MET'})")

    print("is_valid()")
    start = time.perf_counter()
    valid = sum(map(uscc.is_valid, codes))
    ours = rate("uscc.is_valid", n, time.perf_counter() - start)
    start = time.perf_counter()
    naive_valid = sum(map(naive_is_valid, codes[:BASELINE_SAMPLE]))
    naive = rate("regex + stdnum.validate with try/except", min(n, BASELINE_SAMPLE), time.perf_counter() - start)
    assert valid == n and naive_valid == min(n, BASELINE_SAMPLE), "a generated code failed validation"
    print(f"  ratio {ours / naive:.2f}x")


if __name__ == "__main__":
    main()
