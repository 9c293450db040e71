"""One public submission costs a fixed, small number of queries, and none of them waits for other submissions.

The intake's own queries: the one-time token; the captcha (one ``DELETE … RETURNING`` of the challenge); the
business; the duplicate probe; then one transaction (here the test's savepoint pair) with the number (``nextval`` on
PostgreSQL, the counter row on SQLite), the complaint, its event and its audit entry (SQLite also reads the chain's
end; PostgreSQL chains the entry after the commit, which a test transaction never reaches). No session is read or
written; the districts of the form come from the cache. It was 25 queries before issue #7.
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
OWN = 10  # on PostgreSQL, one more on SQLite
# Other apps may hook the complaint's and the audit entry's post_save (the portal marks the business's public record
# for rebuilding: once from the complaint, once from its audit entry, which reads the entry's entity id first so the
# write is a key lookup whatever the planner believes): they get 3 on top, and the whole stays within the budget.
OTHERS = 3


def _own(sql: list[str]) -> list[str]:
    # the portal's id read is a bare ``SELECT entity_id … LIMIT 1001`` (its bound of a few ids, plus one)
    return [s for s in sql if "portal_" not in s and "LIMIT 1001" not in s]


def _post(client, shop, n):
    return client.post(URL, form_data(token=f"{n:032x}", entity_query=shop.name, description=f"买到过期酸奶{n}"))


def test_one_submission_stays_within_its_query_budget(client, org, django_assert_max_num_queries):
    shop = business("41040202", name="平顶山市焦店超市有限公司")
    client.get(URL)
    assert _post(client, shop, 1).status_code == 302  # the first one creates the year's number sequence
    own_count = OWN + (connection.vendor != "postgresql")
    with django_assert_max_num_queries(own_count + OTHERS) as ctx:
        assert _post(client, shop, 2).status_code == 302
    own = _own([q["sql"] for q in ctx.captured_queries])
    assert len(own) == own_count, own


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


def test_the_submission_takes_no_lock_that_other_submissions_wait_for(client, org):
    shop = business("41040202", name="平顶山市焦店超市有限公司")
    client.get(URL)
    _post(client, shop, 1)
    with CaptureQueriesContext(connection) as ctx:
        _post(client, shop, 2)
    sql = [q["sql"] for q in ctx.captured_queries]
    assert not [s for s in sql if re.search(r"advisory|FOR UPDATE", s)]
    assert not [s for s in sql if "core_sequence" in s] or connection.vendor != "postgresql"  # a sequence there
    audit_insert = next(i for i, s in enumerate(sql) if s.startswith('INSERT INTO "core_auditentry"'))
    own_writes = [i for i, s in enumerate(sql) if re.match(r'(INSERT INTO|UPDATE) "complaints_', s)]
    assert own_writes and max(own_writes) < audit_insert


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


@pytest.mark.django_db(transaction=True)
def test_in_production_the_submission_commits_then_chains_its_audit_entry(client, org):
    if connection.vendor != "postgresql":
        pytest.skip("the audit entry is chained after the commit on PostgreSQL only")
    shop = business("41040202", name="平顶山市焦店超市有限公司")
    client.get(URL)
    _post(client, shop, 1)
    with CaptureQueriesContext(connection) as ctx:
        assert _post(client, shop, 2).status_code == 302
    sql = _own([q["sql"] for q in ctx.captured_queries])
    commit = len(sql) - 1 - sql[::-1].index("COMMIT")
    begin = len(sql[:commit]) - 1 - sql[:commit][::-1].index("BEGIN")
    # The submission's transaction: the number, the complaint, its event, its audit entry. Then, after the commit and
    # waiting for no one, three round trips: try the chain lock and read the chain's end and what is pending; chain it;
    # unlock and look again.
    transaction_sql = "\n".join(sql[begin + 1 : commit])
    assert commit - begin - 1 == 4 and "nextval" in sql[begin + 1], transaction_sql
    after = sql[commit + 1 :]
    assert len(after) == 3 and "pg_try_advisory_lock" in after[0] and "pg_advisory_unlock" in after[2], after
    assert audit.verify_chain().ok and not AuditEntry.objects.filter(seq__isnull=True).exists()
