"""``registry.bulk.insert`` (COPY on PostgreSQL, one prepared INSERT on SQLite): rows under reserved keys, the other
columns given their fields' defaults when asked (``fill_defaults``), and a row that breaks a constraint refused with
Django's own error — the whole batch with it."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from jianguan.credit.models import ListEntry, Notice
from jianguan.registry import bulk
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


def test_rows_get_reserved_keys_and_the_other_columns_their_defaults(org):
    entity = EntityFactory(unit=org["41040201"])
    with transaction.atomic():
        ids = bulk.allocate_ids(Notice, 2)
        written = bulk.insert(Notice, ["id", "entity_id", "kind", "title", "body", "sent_on"],
                              [(pk, entity.pk, Notice.Kind.LISTED, f"标题{pk}", "内容", dt.date(2026, 7, 1)) for pk in ids],
                              fill_defaults=True)
    assert written == 2
    notices = list(Notice.objects.filter(pk__in=ids).order_by("pk"))
    assert [n.title for n in notices] == [f"标题{pk}" for pk in ids]
    # the defaults: blank text, False, NULL foreign keys, the creation time
    assert all(n.doc_no == "" and n.is_public is False and n.list_entry_id is None and n.created_at for n in notices)
    # the next ordinary insert continues after the reserved keys
    assert Notice.objects.create(entity=entity, kind=Notice.Kind.LISTED, title="t", body="b",
                                 sent_on=dt.date(2026, 7, 2)).pk > max(ids)


def test_a_row_breaking_a_constraint_is_refused_with_djangos_error(org):
    entity = EntityFactory(unit=org["41040201"])
    row = (entity.pk, "abnormal", "report_not_filed", "active", dt.date(2026, 7, 1), org["410402"].pk)
    with pytest.raises(IntegrityError), transaction.atomic():  # one live entry per entity, list and ground
        bulk.insert(ListEntry, ["entity_id", "list_kind", "ground", "status", "ground_arose_on", "deciding_unit_id"],
                    [row, row], fill_defaults=True)
    assert not ListEntry.objects.exists()
