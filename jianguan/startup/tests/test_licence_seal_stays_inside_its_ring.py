"""The seal on the licence PDF: the authority's name runs along the ring, every character inside it, and "登记专用"
sits on one line under the star (it used to break as "登记专/用" and run into the ring)."""

import math

import pytest

from jianguan.startup import licence


@pytest.mark.parametrize("name", ["鲁山县市场监督管理局", "平顶山市市场监督管理局石龙区分局", "某局"])
def test_every_character_of_the_name_is_inside_the_ring(name):
    layout = licence.seal_layout(name)
    inner_edge = layout["ring"] - 1.2
    assert [c["ch"] for c in layout["chars"]] == list(name)
    for c in layout["chars"]:
        centre = math.hypot(c["x"] - 50, c["y"] - 50)
        assert centre + layout["size"] * math.sqrt(2) / 2 <= inner_edge, c
    # neighbours do not overlap: the distance between their centres is at least one character
    for a, b in zip(layout["chars"], layout["chars"][1:], strict=False):
        assert math.hypot(a["x"] - b["x"], a["y"] - b["y"]) >= layout["size"] * 0.95


def test_caption_fits_on_one_line_inside_the_ring():
    layout = licence.seal_layout("鲁山县市场监督管理局")
    half_width = len(layout["caption"]) * layout["caption_size"] / 2
    dy = abs(layout["caption_y"] - 50) + layout["caption_size"] / 2
    assert math.hypot(half_width, dy) < layout["ring"] - 1.2
    svg = licence.seal_svg("鲁山县市场监督管理局")
    assert ">登记专用</text>" in svg and svg.count("<text") == len("鲁山县市场监督管理局") + 1
