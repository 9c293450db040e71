"""``audit.record()`` holds the chain lock for as little as possible: the lock, the previous hash, the insert."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from jianguan.core import audit
from jianguan.core.models import AuditEntry

pytestmark = pytest.mark.django_db


def test_record_is_three_statements_and_no_savepoint(org, sysadmin):
    audit.record(actor=sysadmin, action="test.thing.changed", object_type="test", object_id="1")
    with CaptureQueriesContext(connection) as ctx, transaction.atomic():
        audit.record(actor=sysadmin, action="test.thing.changed", object_type="test", object_id="2")
    sql = [q["sql"] for q in ctx.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT"))]
    savepoints = len(ctx.captured_queries) - len(sql)
    assert savepoints == 2  # the test's own atomic() inside the test transaction: record() adds none
    if connection.vendor == "postgresql":
        assert "pg_advisory_xact_lock" in sql.pop(0)
    assert len(sql) == 2 and "SELECT" in sql[0] and sql[1].startswith("INSERT")
    assert audit.verify_chain().ok


@pytest.mark.django_db(transaction=True)
def test_record_outside_a_transaction_still_commits_its_entry(org, sysadmin):
    entry = audit.record(actor=sysadmin, action="test.thing.changed", object_type="test", object_id="3")
    assert AuditEntry.objects.filter(pk=entry.pk).exists() and audit.verify_chain().ok
