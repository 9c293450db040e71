"""Price spikes (哄抬价格 alerts), pure: no Django, so it is fast to test and to benchmark.

A report is *too high* when its price exceeds the lowest price the same outlet reported for the same goods in the
``days`` days before it by more than ``ratio`` (price > base × (1 + ratio)). Consecutive too-high reports form one
spike; a report back within the limit ends it. One alert per spike, however many reports it spans.

The window minimum is kept with a monotonic deque: every report enters and leaves it once, so a year of daily
reports costs O(n) instead of O(n × days) for re-scanning the window at each report (``naive_spikes``, the
benchmark's baseline, kept here so the two are tested to agree).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class Spike:
    start: dt.date
    end: dt.date
    base: Decimal  # the window minimum the first too-high report was compared with
    base_on: dt.date
    peak: Decimal
    reports: list[tuple[dt.date, Decimal]] = field(default_factory=list)  # the too-high reports

    @property
    def rise(self) -> Decimal:
        return (self.peak - self.base) / self.base


def spikes(series: list[tuple[dt.date, Decimal]], days: int, ratio: Decimal) -> list[Spike]:
    """The spikes of ``series`` ([(date, price)], ascending dates, one report a day)."""
    window: deque[tuple[dt.date, Decimal]] = deque()  # increasing prices; front = the window's minimum
    out: list[Spike] = []
    current: Spike | None = None
    span, factor = dt.timedelta(days=days), 1 + ratio
    for day, price in series:
        start = day - span
        while window and window[0][0] < start:
            window.popleft()
        if window and price > window[0][1] * factor:
            if current is None:
                current = Spike(day, day, window[0][1], window[0][0], price)
                out.append(current)
            current.end, current.peak = day, max(current.peak, price)
            current.reports.append((day, price))
        else:
            current = None
        while window and window[-1][1] >= price:
            window.pop()
        window.append((day, price))
    return out


def naive_spikes(series: list[tuple[dt.date, Decimal]], days: int, ratio: Decimal) -> list[Spike]:
    """The same result by re-scanning the window at every report (the benchmark's baseline)."""
    out: list[Spike] = []
    current: Spike | None = None
    span, factor = dt.timedelta(days=days), 1 + ratio
    for i, (day, price) in enumerate(series):
        start = day - span
        base = None  # walk back over the window: the lowest price, the latest day among equal lows
        j = i - 1
        while j >= 0 and series[j][0] >= start:
            if base is None or series[j][1] < base[1]:
                base = series[j]
            j -= 1
        if base is not None and price > base[1] * factor:
            if current is None:
                current = Spike(day, day, base[1], base[0], price)
                out.append(current)
            current.end, current.peak = day, max(current.peak, price)
            current.reports.append((day, price))
        else:
            current = None
    return out
