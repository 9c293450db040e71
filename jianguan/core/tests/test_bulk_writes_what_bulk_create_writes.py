"""``core.bulk.create``/``update`` (the demo's set-based writes, issue 16) store exactly what Django's
``bulk_create``/``bulk_update`` store: the same text in every column (dates, aware datetimes, decimals, JSON, foreign
keys, choices), encrypted fields that read back the same, keys set on the objects, the sequence moved past them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from jianguan.core import bulk
from jianguan.core.fields import BlindIndexField, EncryptedTextField
from jianguan.core.models import AuditEntry
from jianguan.credit.models import AnnualReport
from jianguan.equipment.models import Device, DeviceStatus
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_path_for_a_few_rows(monkeypatch):
    monkeypatch.setattr(bulk, "SMALL", 0)  # a handful of rows takes the path thousands take


def _stored(model, ids, skip=()):
    """The rows as the database holds them (``quote()``: the stored text or number, not through the fields' or
    the driver's converters), keys left out."""
    opts = model._meta
    columns = [f.column for f in opts.concrete_fields if not f.primary_key and f.attname not in skip
               and not isinstance(f, EncryptedTextField | BlindIndexField)]
    with connection.cursor() as cursor:
        shown = [f'quote("{c}")' if connection.vendor == "sqlite" else f'"{c}"::text' for c in columns]
        cursor.execute(f'SELECT {", ".join(shown)} FROM "{opts.db_table}" WHERE id IN ({", ".join(["%s"] * len(ids))}) '
                       "ORDER BY id", list(ids))
        return cursor.fetchall()


def _reports(entities, year):
    return [AnnualReport(entity=entity, year=year, version=1, is_current=True, filed_on=dt.date(year + 1, 3, i + 1),
                         late=i % 2 == 0, address="", phone=f"1380375{i:04d}", employees=i,
                         total_assets=Decimal("12.50") * i, total_liabilities=Decimal("4.2"), revenue=Decimal("0"),
                         profit=Decimal("-1.80"), net_profit=Decimal("1.5"), tax=Decimal("0.60"),
                         insured_employees=i, public_employees=True, public_financials=bool(i % 3))
            for i, entity in enumerate(entities)]


SKIP = {"year", "filed_at", "entity_id"}


def test_create_stores_the_rows_bulk_create_stores(org):
    django_rows = AnnualReport.objects.bulk_create(_reports([EntityFactory(unit=org["41040201"]) for _ in range(5)], 2023))
    entities = [EntityFactory(unit=org["41040201"]) for _ in range(5)]
    ours = bulk.create(_reports(entities, 2023))
    assert all(r.pk and not r._state.adding for r in ours)
    assert [r.pk for r in ours] == list(range(django_rows[-1].pk + 1, django_rows[-1].pk + 6))
    assert _stored(AnnualReport, [r.pk for r in django_rows], SKIP) == _stored(AnnualReport, [r.pk for r in ours], SKIP)
    stored = list(AnnualReport.objects.order_by("id"))
    assert [r.phone for r in stored[:5]] == [r.phone for r in stored[5:]]
    assert [r.entity_id for r in stored[5:]] == [e.pk for e in entities]
    # the next ordinary insert continues after the reserved keys
    assert AnnualReport.objects.create(entity=entities[0], year=2025, filed_on=dt.date(2026, 1, 2)).pk == ours[-1].pk + 1


def test_create_stores_json_datetimes_and_choices_as_bulk_create(org, sysadmin):
    entity = EntityFactory(unit=org["41040201"])
    now = timezone.now()

    def devices(prefix):
        return [Device(code=f"{prefix}{i}", category="2100", registration_no=f"R{prefix}{i}", entity=entity,
                       unit_id=entity.unit_id, location="车间", commissioned_on=dt.date(2020, 1, 1 + i),
                       params={"design_pressure": "1.6", "medium": "蒸汽", "n": i}, status=DeviceStatus.IN_USE,
                       status_changed_on=dt.date(2020, 1, 1)) for i in range(3)]

    def entries(action):
        return [AuditEntry(at=now, actor=sysadmin, actor_label="x", action=action, object_type="t", object_id=str(i),
                           object_repr="对象", unit=org["41040201"], changes={"a": [None, i], "当": "中文"})
                for i in range(3)]

    for model, make, skip in ((Device, devices, {"code", "registration_no", "created_at", "updated_at"}),
                              (AuditEntry, entries, {"action"})):
        django_rows = model.objects.bulk_create(make("d"))
        ours = bulk.create(make("o"))
        assert _stored(model, [r.pk for r in django_rows], skip) == _stored(model, [r.pk for r in ours], skip)
    # auto_now/auto_now_add stamped as bulk_create stamps them (their pre_save runs)
    assert all(d.created_at >= now and d.updated_at >= now for d in Device.objects.filter(code__startswith="o"))


def test_update_stores_what_bulk_update_stores(org):
    first = bulk.create(_reports([EntityFactory(unit=org["41040201"]) for _ in range(5)], 2023))
    second = bulk.create(_reports([EntityFactory(unit=org["41040201"]) for _ in range(5)], 2023))
    for rows in (first, second):
        for i, r in enumerate(rows):
            r.filed_on, r.revenue, r.late, r.address = dt.date(2025, 5, i + 1), Decimal("7.25") * i, True, f"地址{i}"
    fields = ["filed_on", "revenue", "late", "address"]
    AnnualReport.objects.bulk_update(first, fields)
    assert bulk.update(second, fields) == 5
    assert _stored(AnnualReport, [r.pk for r in first], SKIP) == _stored(AnnualReport, [r.pk for r in second], SKIP)


def test_an_unsaved_related_object_is_refused_as_bulk_create_refuses(org):
    from jianguan.registry.models import Entity

    unsaved = Entity(name="未保存", uscc="x")
    with pytest.raises(ValueError, match="unsaved related object"):
        bulk.create([AnnualReport(entity=unsaved, year=2023, filed_on=dt.date(2024, 1, 2))])


def test_a_row_that_breaks_a_constraint_is_refused_as_bulk_create_refuses_it(org):
    """The same Django error (COPY on PostgreSQL, INSERT on SQLite), and nothing of the batch written."""
    from django.db import IntegrityError, transaction

    entity = EntityFactory(unit=org["41040201"])
    twice = _reports([entity, entity], 2023)  # one current report per entity and year
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.create(twice)
    assert not AnnualReport.objects.filter(entity=entity).exists()
