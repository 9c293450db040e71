"""The spike detector (pure): a report more than ``ratio`` above the lowest price of the previous ``days`` days is
too high; consecutive too-high reports are one spike; the monotonic-deque version equals the naive re-scan on random
series (hypothesis)."""

import datetime as dt
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from jianguan.prices.spikes import naive_spikes, spikes

D0 = dt.date(2026, 1, 1)


def _series(prices, gaps=None):
    day, out = D0, []
    for i, p in enumerate(prices):
        out.append((day, Decimal(p)))
        day += dt.timedelta(days=(gaps[i] if gaps else 1))
    return out


def test_one_spike_over_three_days_is_one_alert():
    s = _series(["10", "10", "10", "13.01", "14", "13.5", "10.5", "10"])
    [spike] = spikes(s, 7, Decimal("0.30"))
    assert (spike.start, spike.end, spike.base, spike.peak) == (D0 + dt.timedelta(3), D0 + dt.timedelta(5),
                                                                Decimal("10"), Decimal("14"))
    assert len(spike.reports) == 3


def test_exactly_the_limit_is_not_a_spike_and_the_window_forgets_old_lows():
    assert spikes(_series(["10", "13"]), 7, Decimal("0.30")) == []
    # the low of 10 is 9 days old: the window (7 days) only sees 12.5, and 14 is 12 % above it
    s = _series(["10", "12.5", "14"], gaps=[2, 7, 1])
    assert spikes(s, 7, Decimal("0.30")) == []


def test_a_fall_back_then_a_new_rise_is_a_second_spike():
    s = _series(["10", "14", "10", "10", "14"])
    assert [x.start for x in spikes(s, 7, Decimal("0.30"))] == [D0 + dt.timedelta(1), D0 + dt.timedelta(4)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3), st.integers(50, 200)), min_size=1, max_size=60),
       st.integers(1, 10), st.sampled_from(["0.1", "0.2", "0.3"]))
def test_deque_equals_naive(rows, days, ratio):
    day, series = D0, []
    for gap, cents in rows:
        day += dt.timedelta(days=gap)
        series.append((day, Decimal(cents) / 10))
    fast, slow = spikes(series, days, Decimal(ratio)), naive_spikes(series, days, Decimal(ratio))
    assert [(s.start, s.end, s.base, s.base_on, s.peak) for s in fast] == [
        (s.start, s.end, s.base, s.base_on, s.peak) for s in slow]
