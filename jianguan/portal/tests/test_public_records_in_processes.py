"""``jianguan publicrecords --all --workers N``: on PostgreSQL, N forked processes each build the records of one range
of entities (ranges of equal counts); what they store is what one process stores. At 10,000,000 entities one
process takes about 40 minutes (docs/scale.md). SQLite keeps one writer, so there the option builds in one process.

These tests commit (the children read what the parent wrote), hence ``transactional_db``."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from jianguan.portal import public, records
from jianguan.portal.models import PublicRecord
from jianguan.registry.models import Entity
from jianguan.registry.tests.factories import EntityFactory


def fresh(entity) -> bytes:
    return records.render(public.record(Entity.objects.get(pk=entity.pk)))


@pytest.fixture
def many(transactional_db, org):
    return [EntityFactory(name=f"鹰城并行第{i}号商行") for i in range(23)]


def test_processes_store_what_one_process_stores(many):
    out = io.StringIO()
    call_command("publicrecords", "--all", "--workers", "3", stdout=out)
    stored = dict(PublicRecord.objects.values_list("entity_id", "body"))
    assert set(stored) == set(Entity.objects.values_list("pk", flat=True))
    for entity in Entity.objects.all():
        assert stored[entity.pk].encode() == fresh(entity), entity.name
    if connection.vendor == "postgresql":
        assert "（3 个进程）" in out.getvalue()
    assert f"已生成 {len(stored):,} 条公示信息" in out.getvalue()

    # only the stale ones, split between two processes: each built once
    marked = [e.pk for e in many[3:10]]
    records.invalidate(marked)
    result = records.rebuild(workers=2)
    assert result["built"] == len(marked) and result["left"] is False
    assert not records.marked()
    assert all(records.served(pk) for pk in marked)
    assert records.rebuild(workers=2)["built"] == 0


def test_a_process_that_fails_is_named_and_the_others_keep_their_work(many, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite builds in one process")
    last = max(e.pk for e in many)
    real = records._rows

    def failing(entities, **kwargs):  # the process holding the last entity fails on its chunk
        if any(e.pk == last for e in entities):
            raise RuntimeError("boom")
        return real(entities, **kwargs)

    monkeypatch.setattr(records, "_rows", failing)  # the forked children inherit it
    with pytest.raises(CommandError, match=r"公示信息生成进程 publicrecords-2 失败"):
        call_command("publicrecords", "--all", "--workers", "2", stdout=io.StringIO(), stderr=io.StringIO())
    # the first process's range was built and kept
    assert PublicRecord.objects.filter(body__isnull=False).count() >= len(many) // 2 - 1
    assert not records.served(last) and last in records.due()


def test_workers_must_be_positive(db):
    with pytest.raises(CommandError, match="--workers 须为正整数"):
        call_command("publicrecords", "--workers", "0", stdout=io.StringIO())


def test_the_daily_sweep_rebuilds_in_the_processes_its_rule_gives(many):
    """The sweep's job commits chunk by chunk (not one transaction), so its processes see what the day wrote."""
    import datetime as dt

    from jianguan.core.models import RuleValue
    from jianguan.core.sweep import JOBS, discover
    from jianguan.portal import sweep

    discover()
    assert JOBS["public-records"].atomic is False
    RuleValue.objects.create(key="portal.records_sweep_workers", value=2, effective_from=dt.date(2020, 1, 1))
    records.rebuild(everything=True)
    marked = [e.pk for e in many[:9]]
    records.invalidate(marked[:5])
    PublicRecord.objects.filter(entity_id__in=marked[5:]).update(body=None)  # rows stored before marks existed
    assert sweep.public_records(today=dt.date.today(), stdout=None) == {"built": len(marked), "left_for_later": 0}
    assert not records.marked() and not PublicRecord.objects.filter(body__isnull=True).exists()
