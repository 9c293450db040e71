"""Schemathesis over every staff operation of the OpenAPI description (#14): each operation that needs a staff token,
called with the bearer token of one persona per role family, never answers a server error.

The personas: a station inspector, a district registrar, case officer, complaint handler and special-equipment
supervisor (the sector family), a district head, the city bureau's leader, and the system administrator (the three
administrators' family: it reads no business data). Each generated request (valid data and invalid data) is sent
with every persona's token, inside a savepoint rolled back after the call, so an accepted write changes nothing for
the next request.

One test walks every operation (one database, one set of personas, made once) with Hypothesis run by hand for each
operation: the explicit examples of the description and ``EXAMPLES`` generated requests (1 by default), no shrinking,
no example database. For a deeper run, as an assessor would: ``JIANGUAN_SCHEMATHESIS_EXAMPLES=25 pytest <this file>``.

The filter (operations with a ``security`` requirement) is applied on the schema the test iterates, so it holds;
the public operations have their own test (portal/tests/test_schemathesis_public_api.py).
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from django.db import transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode

from jianguan.core.models import ApiToken
from jianguan.core.tests.factories import staff
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("JIANGUAN_SCHEMATHESIS_EXAMPLES", "1"))
#: role family → (unit, roles)
PERSONAS = {
    "station_inspector": ("41040201", ["inspector"]),
    "registrar": ("410402", ["registrar"]),
    "case_officer": ("410402", ["case_officer"]),
    "complaint_handler": ("410402", ["complaint_handler"]),
    "sector_supervisor": ("410402", ["equipment_supervisor"]),
    "district_head": ("410402", ["department_head"]),
    "city_leader": ("410400", ["bureau_leader"]),
    "system_admin": ("410400BG", ["system_admin"]),
}


@pytest.fixture
def tokens(org, settings, tmp_path) -> dict[str, str]:
    settings.MEDIA_ROOT = tmp_path / "media"  # an accepted upload is rolled back in the database, not on disk
    EntityFactory()  # something in the registry for the list and search operations to return
    out = {}
    for family, (unit, roles) in PERSONAS.items():
        user = staff(f"st_{family}"[:30], unit, roles, credential=family != "system_admin")
        raw = ApiToken.generate()
        ApiToken.objects.create(user=user, name="schemathesis", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
        out[family] = raw
    return out


@pytest.fixture
def staff_api():
    from django.core import signals
    from django.db import close_old_connections

    from jianguan.wsgi import application

    # As in the public schemathesis test: calling the WSGI application directly must keep the test transaction's
    # connection open across requests.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
    yield schema.include(lambda ctx: bool(ctx.operation.definition.raw.get("security")))
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _runner(operation, tokens, record):
    """The Hypothesis test of one operation: each case sent with every persona's token, each call rolled back."""
    strategy = st.one_of(operation.as_strategy(GenerationMode.POSITIVE),
                         operation.as_strategy(GenerationMode.NEGATIVE))

    @given(case=strategy)
    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    def run(case):
        for family, token in tokens.items():
            with transaction.atomic():
                response = case.call(headers={"Authorization": f"Bearer {token}"})
                transaction.set_rollback(True)
            record(family, operation, case, response)

    return run


def test_staff_operations_never_answer_a_server_error_to_any_persona(staff_api, tokens):
    failures, operations, calls = [], [], []

    def record(family, operation, case, response):
        calls.append(family)
        if response.status_code >= 500:
            failures.append((family, operation.method.upper(), case.formatted_path, case.query,
                             response.status_code, response.text[:300]))

    for result in staff_api.get_all_operations():
        operation = result.ok()
        assert operation.definition.raw.get("security"), operation.label  # the filter holds
        operations.append(operation.label)
        _runner(operation, tokens, record)()
    assert len(operations) >= 250, len(operations)  # every staff operation (292 on 5 December 2026), not a few
    assert len(calls) >= len(operations) * len(tokens)
    assert failures == []
