"""The public penalties API answers any query string with a page or a clear 4xx, never a server error."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

text = st.text(max_size=40) | st.sampled_from(["\x00", "新华\x00区", "2026\x00"])


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(q=text, authority=text, year=text, cursor=text, limit=st.integers(min_value=-10**6, max_value=10**6))
def test_any_query_is_answered(client, q, authority, year, cursor, limit):
    response = client.get("/api/v1/public/penalties/",
                          {"q": q, "authority": authority, "year": year, "cursor": cursor, "limit": limit})
    assert response.status_code in (200, 400, 422)
    nul = any("\x00" in v for v in (q, authority, year))  # refused by core's RejectNulMiddleware
    assert client.get("/penalties/", {"q": q, "authority": authority, "year": year}).status_code == (400 if nul else 200)
    if response.status_code == 200:
        assert response.json()["results"] == []
    else:
        assert response.json()["error"]["code"]
