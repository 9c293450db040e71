"""One public submission costs a fixed, small number of queries, and the audit chain is locked only at the very end.

The intake's own queries (PostgreSQL; SQLite has no advisory lock): the one-time token; the captcha (in test mode:
clear expired ones, look it up); the business; the duplicate probe; then one transaction (here the test's savepoint
pair) with the number (``nextval``), the complaint, its event, and last the audit entry (lock, previous hash,
insert). No session is read or written; the districts of the form come from the cache. It was 25 before issue #7.
"""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.complaints.models import Complaint
from jianguan.core import audit
from jianguan.core.models import AuditEntry

from .factories import business
from .test_public_intake_files_a_complaint import form_data

pytestmark = pytest.mark.django_db
URL = "/complaints/"
OWN = 13  # on PostgreSQL, one less on SQLite
# Other apps may hook the complaint's and the audit entry's post_save (the portal marks the business's public record
# for rebuilding): they get 2 on top, and the whole stays within the budget.
BUDGET = OWN + 2


def _own(sql: list[str]) -> list[str]:
    return [s for s in sql if "portal_" not in s]


def _post(client, shop, n):
    return client.post(URL, form_data(token=f"{n:032x}", entity_query=shop.name, description=f"买到过期酸奶{n}"))


def test_one_submission_stays_within_its_query_budget(client, org, django_assert_max_num_queries):
    shop = business("41040202", name="平顶山市焦店超市有限公司")
    client.get(URL)
    assert _post(client, shop, 1).status_code == 302  # the first one creates the year's number sequence
    with django_assert_max_num_queries(BUDGET) as ctx:
        assert _post(client, shop, 2).status_code == 302
    own = _own([q["sql"] for q in ctx.captured_queries])
    assert len(own) == OWN - (connection.vendor != "postgresql"), own


def test_a_submission_reads_no_session_and_looks_things_up_once(client, org):
    shop = business("41040202", name="平顶山市焦店超市有限公司")
    client.get(URL)
    _post(client, shop, 1)
    with CaptureQueriesContext(connection) as ctx:
        response = _post(client, shop, 2)
    assert response.status_code == 302
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sql if "django_session" in s]
    assert not [s for s in sql if "core_division" in s]  # cached
    assert len([s for s in sql if 'idempotency_key" =' in s and s.startswith("SELECT")]) == 1
    assert len([s for s in sql if '"content_hash" =' in s]) == 1  # the duplicate probe
    assert len([s for s in sql if re.search(r"nextval|core_sequence", s)]) == 1
    assert "sessionid" not in response.cookies


def test_the_audit_entry_is_the_last_write_of_the_submission(client, org):
    shop = business("41040202", name="平顶山市焦店超市有限公司")
    client.get(URL)
    _post(client, shop, 1)
    with CaptureQueriesContext(connection) as ctx:
        _post(client, shop, 2)
    sql = [q["sql"] for q in ctx.captured_queries]
    audit_insert = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "core_auditentry"'))
    own_writes = [i for i, s in enumerate(sql) if re.match(r'(INSERT INTO|UPDATE) "complaints_', s)]
    assert own_writes and max(own_writes) < audit_insert
    if connection.vendor == "postgresql":
        lock = next(i for i, s in enumerate(sql) if "pg_advisory_xact_lock" in s)
        assert max(own_writes) < lock < audit_insert


def test_the_audit_chain_verifies_after_submissions(client, org, set_rule):
    set_rule("complaints.intake_rate", "")  # six posts from one address
    shop = business("41040202", name="平顶山市焦店超市有限公司")
    client.get(URL)
    for n in range(1, 6):
        assert _post(client, shop, n).status_code == 302
    assert _post(client, shop, 3).status_code == 302  # a second click: stored once
    assert Complaint.objects.count() == 5
    for complaint in Complaint.objects.all():
        assert (
            AuditEntry.objects.filter(action="complaints.complaint.received", object_id=str(complaint.pk)).count() == 1
        )
    report = audit.verify_chain()
    assert report.ok, report.problem
