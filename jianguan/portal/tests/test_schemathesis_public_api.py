"""Schemathesis over the public part of the OpenAPI description (every GET operation that needs no token):
generated requests, valid and not, never get a server error. Bounded: a few examples per operation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings


@pytest.fixture
def public_api(world):
    from django.core import signals
    from django.db import close_old_connections

    from jianguan.wsgi import application

    # Django's test client keeps the test transaction's connection open across requests; calling the WSGI
    # application directly must do the same, or PostgreSQL's connection is closed after the first request.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# The filters go on the lazy schema: schemathesis replaces the filters of the schema a fixture returns with the lazy
# schema's own (``pytest/lazy.get_schema``), so filtering inside the fixture ran every operation, tokens and all.
# Two includes would be OR'ed: the operations that need a token are excluded instead.
schema = (schemathesis.pytest.from_fixture("public_api").include(method="GET")
          .exclude(lambda ctx: bool(ctx.operation.definition.raw.get("security"))))


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_public_get_operations_never_answer_a_server_error(case):
    # The filters hold (the coverage phase also tries other methods on the same operation).
    assert case.operation.method.upper() == "GET" and not case.operation.definition.raw.get("security")
    response = case.call()
    assert response.status_code < 500, (case.path, case.query, response.text[:500])
    content_type = response.headers.get("Content-Type", [""])
    content_type = content_type[0] if isinstance(content_type, list) else content_type
    if response.status_code >= 400 and content_type.startswith("application/json"):
        assert set(response.json()) == {"error"}, response.text[:300]  # the one error format
