"""The stored public record (``portal.records``) is what a fresh build gives, after every kind of change to its
sources — including the writes that bypass model signals (results published with ``bulk_update``, the registry
import's ``update()``) — and serving it is one query, with a 304 on a matching ETag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from jianguan.complaints import services as complaint_services
from jianguan.complaints.models import Channel, Kind
from jianguan.core.models import Division, RuleValue
from jianguan.credit import services as credit_services
from jianguan.credit.models import Ground
from jianguan.credit.tests import factories as credit_factories
from jianguan.inspections import services as inspection_services
from jianguan.portal import public, records
from jianguan.portal import services as portal_services
from jianguan.portal.models import PublicRecord, RecordMark
from jianguan.registry import importexport
from jianguan.registry.models import Entity
from jianguan.registry.tests.factories import EntityFactory, LicenceFactory


def fresh(entity) -> bytes:
    """The record built now from the database, rendered as served."""
    return records.render(public.record(Entity.objects.get(pk=entity.pk)))


def served(client, entity) -> bytes:
    response = client.get(f"/api/v1/entities/{entity.uscc}")
    assert response.status_code == 200
    return response.content


def assert_follows(client, entity, change) -> bytes:
    """Serve (and so store) the record, make the change, and check that what is served is the fresh build."""
    before = served(client, entity)
    assert PublicRecord.objects.get(entity=entity).body.encode() == before
    change()
    after = served(client, entity)
    assert after == fresh(entity)
    assert after != before, "the change should show in the record"
    return after


def test_entity_change(world, client):
    company = world["company"]

    def rename():
        company.name = "平顶山市鹰城放心粮油股份有限公司"
        company.save()

    assert "股份有限公司" in assert_follows(client, company, rename).decode()


def test_licence_added_and_deleted(world, client):
    company = world["company"]
    assert_follows(client, company, lambda: LicenceFactory(entity=company, number="JY14104020099999"))
    assert_follows(client, company, lambda: company.licences.get(number="JY14104020099999").delete())


def test_annual_report_filed(world, client):
    company = world["company"]
    assert_follows(client, company, lambda: credit_factories.report(company, world["today"].year - 2))


def test_listing_on_the_abnormal_list(world, client):
    company = world["company"]
    body = assert_follows(
        client,
        company,
        lambda: credit_services.list_enter(
            actor=credit_factories.credit_officer("credit_rec"),
            entity=company,
            ground=Ground.UNREACHABLE,
            facts="无法联系",
        ),
    )
    assert "通过登记的住所或者经营场所无法联系" in body.decode()


def test_inspection_result_published_in_bulk(world, client):
    """``results_publish`` writes with ``bulk_update`` (no model signal): the audit entry carries the change."""
    from jianguan.inspections.models import InspectionTask, ItemResult, TaskStatus

    batch, head = world["batch"], world["head"]
    entity = EntityFactory(unit=world["company"].unit, name="平顶山市鹰城抽查对象商行")
    # a confirmed result, written directly: a second draw would only add its own randomness to this test
    task = InspectionTask.objects.create(
        batch=batch,
        entity=entity,
        unit=entity.unit,
        stratum="B",
        ticket="0" * 64,
        position=2,
        status=TaskStatus.CONFIRMED,
        inspected_on=world["today"],
    )
    ItemResult.objects.create(task=task, item=batch.plan.items.first(), category="no_problem")

    def publish():
        assert inspection_services.results_publish(actor=head, tasks=[task]) == 1

    body = assert_follows(client, entity, publish)
    assert f'"id":{task.pk}' in body.decode()


def test_complaint_received(world, client):
    company = world["company"]

    def complain():
        complaint_services.complaint_submit(
            actor="public",
            kind=Kind.COMPLAINT,
            channel=Channel.PORTAL,
            entity=company,
            description="油有异味",
            person_name="李四",
            person_phone="13600002222",
            received_on=world["today"],
            notify=False,
        )

    assert '"total":4' in assert_follows(client, company, complain).decode()


def test_reply_posted(world, client, enterprise):
    company, task = world["company"], world["task"]
    assert_follows(
        client,
        company,
        lambda: portal_services.reply_post(
            actor=enterprise, object_type="inspections.inspectiontask", object_id=str(task.pk), body="已整改完毕"
        ),
    )


def test_division_renamed(world, client):
    company = world["company"]

    def rename():
        division = Division.objects.get(code=company.division_id)
        division.name += "（新）"
        division.save()

    assert "（新）" in assert_follows(client, company, rename).decode()


def test_registry_import_update(world, client, tmp_path):
    """The import updates existing entities with ``QuerySet.update()``; the registration history row it writes
    for each carries the change."""
    company = world["company"]
    path = tmp_path / "one.csv"
    importexport.export_entities(Entity.objects.filter(pk=company.pk), path, "csv")

    def reimport():
        path.write_text(
            path.read_text(encoding="utf-8-sig").replace(company.name, "平顶山市鹰城粮油有限公司"), encoding="utf-8-sig"
        )
        result = importexport.import_entities(path, update=True)
        assert result.ok and result.updated == 1, [str(p) for p in result.problems]

    assert "平顶山市鹰城粮油有限公司" in assert_follows(client, company, reimport).decode()


def test_threshold_rule_change(world, client):
    company = world["company"]
    assert_follows(
        client,
        company,
        lambda: RuleValue.objects.create(
            key="complaints.public_stats_min_count", value=10, effective_from=dt.date(2000, 1, 1)
        ),
    )
    assert client.get(f"/api/v1/entities/{company.uscc}").json()["complaints"] is None


# --- serving ------------------------------------------------------------------------------------------------------


def test_a_stored_record_is_one_query_and_a_matching_etag_a_304(world, client):
    url = f"/api/v1/entities/{world['company'].uscc}"
    first = client.get(url)  # builds and stores
    with CaptureQueriesContext(connection) as ctx:
        again = client.get(url)
    assert len(ctx.captured_queries) == 1, [q["sql"] for q in ctx.captured_queries]
    assert again.content == first.content and again["ETag"] == first["ETag"]
    with CaptureQueriesContext(connection) as ctx:
        not_modified = client.get(url, headers={"If-None-Match": first["ETag"]})
    assert len(ctx.captured_queries) == 1
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified["ETag"] == first["ETag"] and not_modified["Cache-Control"].startswith("public")


def test_a_record_with_figures_of_the_last_12_months_is_good_for_today_only(world, client):
    today = world["today"]
    served(client, world["company"])  # three complaints: figures shown
    served(client, world["shop"])  # no complaints, no penalties
    assert PublicRecord.objects.get(entity=world["company"]).valid_until == today + dt.timedelta(days=1)
    assert PublicRecord.objects.get(entity=world["shop"]).valid_until is None
    # yesterday's row: rebuilt on the next read
    PublicRecord.objects.filter(entity=world["company"]).update(valid_until=today, body='{"stale":true}')
    assert served(client, world["company"]) == fresh(world["company"])


def test_a_build_that_raced_a_change_is_served_once_but_not_again(world, monkeypatch):
    company = world["company"]
    records.get(company.uscc)
    build = public.prefetch_record

    def change_meanwhile(entities):
        build(entities)
        records.invalidate([company.pk])  # another transaction changed a source after we read it

    monkeypatch.setattr(public, "prefetch_record", change_meanwhile)
    PublicRecord.objects.filter(entity=company).update(body=None)
    assert records.get(company.uscc) is not None
    assert not records.served(company.pk)  # stored behind its mark: the next read rebuilds it
    monkeypatch.setattr(public, "prefetch_record", build)
    assert records.get(company.uscc)[0] == fresh(company)
    assert records.served(company.pk) and company.pk not in records.marked()


def test_a_slower_build_never_replaces_a_newer_one(world):
    """Two readers rebuild the same record; the one that read fewer changes stores last: the newer one stays."""
    company = world["company"]
    records.get(company.uscc)
    records.invalidate([company.pk])
    entity = public.get_public_entity(company.uscc)
    public.prefetch_record([entity])
    older = records._rows([entity], today=dt.date.today(), generations={})  # built before the change was counted
    records.get(company.uscc)  # a reader rebuilds with the change
    newer = PublicRecord.objects.get(entity=company)
    records._store(older)
    assert PublicRecord.objects.get(entity=company).generation == newer.generation > 0
    assert records.served(company.pk)


def test_each_change_counts_once_in_a_small_row_not_in_the_stored_record(world, django_assert_max_num_queries):
    company = world["company"]
    records.get(company.uscc)
    stored = PublicRecord.objects.values_list("body", "generation", "built_at").get(entity=company)
    with django_assert_max_num_queries(1):
        records.invalidate([company.pk])
    records.invalidate([company.pk, world["shop"].pk])
    assert PublicRecord.objects.values_list("body", "generation", "built_at").get(entity=company) == stored
    mark = RecordMark.objects.get(entity_id=company.pk)
    assert mark.changed - mark.built == 2 and not records.served(company.pk)
    assert records.rebuild()["built"] >= 2
    mark.refresh_from_db()
    assert mark.changed == mark.built and records.served(company.pk)


def test_a_mark_left_by_a_deleted_entity_is_dropped_by_the_rebuild(world):
    gone = EntityFactory(name="鹰城注销商行")
    assert gone.pk in records.marked()
    gone_pk = gone.pk
    gone.delete()
    records.rebuild()
    assert not RecordMark.objects.filter(entity_id=gone_pk).exists()


def test_unknown_code_is_a_404_and_stores_nothing(world, client):
    assert client.get("/api/v1/entities/91410402MA0000000X").status_code == 404
    assert client.get("/api/v1/entities/" + "9" * 30).status_code == 404
    assert not PublicRecord.objects.filter(uscc="91410402MA0000000X").exists()


# --- in bulk ------------------------------------------------------------------------------------------------------


def test_bulk_rebuild_stores_what_a_fresh_build_gives_for_every_entity(world):
    for i in range(5):
        EntityFactory(name=f"鹰城批量{i}号商行")
    call_command("publicrecords", "--all", stdout=open("/dev/null", "w"))  # noqa: SIM115
    stored = dict(PublicRecord.objects.values_list("entity_id", "body"))
    entities = list(Entity.objects.all())
    assert set(stored) == {e.pk for e in entities}
    for entity in entities:
        assert stored[entity.pk].encode() == fresh(entity), entity.name
    # chunks of 2: the same bytes, and a fixed number of queries per chunk whatever the entity holds
    PublicRecord.objects.all().delete()
    records.rebuild(everything=True, chunk=2)
    assert dict(PublicRecord.objects.values_list("entity_id", "body")) == stored


def test_stale_rebuild_does_only_what_is_missing_or_marked(world):
    records.rebuild(everything=True)
    shop = world["shop"]
    assert records.rebuild()["built"] == 1  # the company: its complaint figures move with the date
    shop.name = "平顶山市新华区小明超市"
    shop.save()
    new = EntityFactory(name="鹰城新设商行")
    PublicRecord.objects.filter(entity=new).delete()  # as if loaded with COPY, no row at all
    assert records.rebuild()["built"] == 3
    assert PublicRecord.objects.get(entity=shop).body.encode() == fresh(shop)
    assert PublicRecord.objects.get(entity=new).body.encode() == fresh(new)


def test_the_daily_sweep_rebuilds_stale_records(world):
    from jianguan.portal import sweep

    records.rebuild(everything=True)
    PublicRecord.objects.filter(entity=world["shop"]).update(body=None)
    assert sweep.public_records(today=world["today"], stdout=None)["built"] == 2  # the shop, the company


def test_the_daily_sweep_stops_at_its_time_limit_and_the_next_run_goes_on(world, client, monkeypatch):
    """At province scale the July listing marks millions of records at once: the sweep rebuilds for at most
    ``portal.records_sweep_minutes`` and stops; what is left is rebuilt when read, or by the next run."""
    from jianguan.portal import sweep

    extra = [EntityFactory(name=f"鹰城第{i}商行") for i in range(5)]
    records.rebuild(everything=True)
    records.invalidate(Entity.objects.values("pk"))
    everyone = PublicRecord.objects.count()
    monkeypatch.setattr(records, "CHUNK", 2)
    clock = iter(range(0, 10_000, 100))  # every reading of the clock 100 s later than the one before
    monkeypatch.setattr(records.time, "monotonic", lambda: next(clock))
    limit = RuleValue.objects.create(key="portal.records_sweep_minutes", value=1, effective_from=dt.date(2020, 1, 1))
    first = sweep.public_records(today=world["today"], stdout=None)
    assert first == {"built": 2, "left_for_later": 1}  # one chunk of two, then past the minute
    assert len(records.marked()) == everyone - 2
    # what is left still reads right: a marked record is rebuilt when it is read
    assert served(client, extra[-1]) == fresh(extra[-1])
    waiting = len(records.marked())
    second = sweep.public_records(today=world["today"], stdout=None)
    # the next run goes on (entities with complaints in the public window are rebuilt every run, stale or not)
    assert second["built"] == 2 and len(records.marked()) < waiting
    limit.value = 0  # no limit
    limit.save()
    assert sweep.public_records(today=world["today"], stdout=None)["left_for_later"] == 0
    assert not records.marked() and records.due(world["today"]).tolist() == [world["company"].pk]


@pytest.mark.parametrize(
    "secret_key",
    [
        "legal_rep_id_no",
        "phone",
        "report_phone",
        "report_email",
        "complainant_name",
        "complainant_phone",
        "complainant_address",
        "operator_name",
        "operator_id_no",
        "operator_phone",
        "risk_reason_marker",
    ],
)
def test_no_stored_record_holds_personal_data(world, secret_key):
    from .conftest import SECRETS

    records.rebuild(everything=True)
    assert PublicRecord.objects.filter(body__contains=SECRETS[secret_key]).count() == 0
