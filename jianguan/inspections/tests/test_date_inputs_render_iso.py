"""Date inputs of the inspection forms render ISO values, the only ones an <input type="date"> accepts."""

import datetime as dt

from jianguan.inspections.forms import BatchForm


def test_the_batch_form_renders_its_draw_date_in_iso():
    html = str(BatchForm(initial={"beacon": "x", "draw_date": dt.date(2026, 12, 2)})["draw_date"])
    assert 'value="2026-12-02"' in html
