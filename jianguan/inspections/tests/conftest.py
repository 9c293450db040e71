"""Shared set-up for inspections tests: the 新华区 head, two inspectors of 西高皇所 and a pool of entities."""

import pytest

from . import factories


@pytest.fixture
def xh(org):
    """A district head, two inspectors of station 41040201 and 20 entities there (10 of class B, 10 of class D)."""
    head = factories.head()
    a = factories.inspector("insp_a", name="检查员甲")
    b = factories.inspector("insp_b", name="检查员乙")
    pool_b = factories.entities(10, risk="B")
    pool_d = factories.entities(10, risk="D")
    return {"head": head, "a": a, "b": b, "entities": pool_b + pool_d}
