"""Benchmark of the price-spike computation (哄抬价格 alerts) over a year of daily reports.

    python bench/bench_prices.py --outlets 300 --goods 15

A year (365 days) of daily reports for every (outlet, goods) series — prices wandering ±3 % around a level, with a
45 % rise for a week in one series out of fifty — then the spikes of every series with:

1. ``spikes.spikes``: the lowest price of the comparison window kept in a monotonic deque (each report enters and
   leaves it once: O(n));
2. ``spikes.naive_spikes`` (the baseline): the window re-scanned at every report (O(n × window)).

Both must find the same spikes (checked). Printed for a 7-day window (the default rule) and a 30-day one, with the
load average of the moment. Pure Python: no database (the service reads one series of at most
``prices.lookback_days`` reports per report, indexed).
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from jianguan.prices.spikes import naive_spikes, spikes  # noqa: E402


def build(outlets: int, goods: int, seed: int = 18) -> list[list[tuple[dt.date, Decimal]]]:
    rnd = random.Random(seed)
    start = dt.date(2025, 1, 1)
    out = []
    for n in range(outlets * goods):
        level = Decimal(rnd.randint(100, 9000)) / 100
        rise = rnd.randrange(365) if n % 50 == 0 else None
        series = []
        for d in range(365):
            price = level * Decimal(rnd.uniform(0.97, 1.03))
            if rise is not None and rise <= d < rise + 7:
                price = level * Decimal("1.45")
            series.append((start + dt.timedelta(days=d), price.quantize(Decimal("0.01"))))
        out.append(series)
    return out


def run(fn, data, days: int, ratio: Decimal) -> tuple[float, int, list]:
    t = time.perf_counter()
    found = [fn(s, days, ratio) for s in data]
    return time.perf_counter() - t, sum(len(f) for f in found), found


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--outlets", type=int, default=300)
    parser.add_argument("--goods", type=int, default=15)
    args = parser.parse_args()
    t = time.perf_counter()
    data = build(args.outlets, args.goods)
    reports = sum(len(s) for s in data)
    print(f"{len(data):,} series, {reports:,} reports (one year, daily) built in {time.perf_counter() - t:.1f} s")
    for days, ratio in ((7, Decimal("0.30")), (30, Decimal("0.30"))):
        fast, n_fast, a = run(spikes, data, days, ratio)
        slow, n_slow, b = run(naive_spikes, data, days, ratio)
        same = [[(s.start, s.end, s.base, s.peak) for s in x] for x in a] == [
            [(s.start, s.end, s.base, s.peak) for s in x] for x in b]
        load = os.getloadavg()[0]
        print(f"window {days:>2} d: deque {fast:6.2f} s ({reports / fast:,.0f} reports/s), naive {slow:6.2f} s "
              f"→ ratio {slow / fast:4.1f}×; spikes {n_fast} (naive {n_slow}, identical: {same}); load {load:.1f}")


if __name__ == "__main__":
    main()
