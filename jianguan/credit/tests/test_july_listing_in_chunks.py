"""The July listing decides its non-filers a chunk per transaction (#23: two million of them at province scale did not
fit one process's memory). Chunked, it decides exactly what it decided in one go; stopped half-way, what it
decided stays decided, and running it again lists the rest — each entity once, the numbers without a gap."""

import datetime as dt
import re
from io import StringIO

import pytest

from jianguan.core import sweep as core_sweep
from jianguan.core.models import AuditEntry
from jianguan.credit import sweep
from jianguan.credit.models import ListEntry, Notice

from .factories import EntityFactory

JULY_1 = dt.date(2026, 7, 1)  # a Wednesday, a working day; the 2025 reports were due by 30 June 2026


def non_filers(org) -> dict[str, list]:
    """Seven entities set up in 2019 that never filed: four under 新华区, three under 卫东区, interleaved by id."""
    made = {"新华": [], "卫东": []}
    for i in range(7):
        where = "新华" if i % 2 == 0 else "卫东"
        made[where].append(EntityFactory(unit=org["41040201" if where == "新华" else "41040301"],
                                         established_on=dt.date(2019, 5, 1)))
    return made


def numbers(prefix: str) -> list[tuple[int, int]]:
    """(entity id, number) of the decisions issued under ``prefix``, in entity order."""
    rows = ListEntry.objects.filter(decision_no__startswith=prefix).order_by("entity_id")
    return [(e.entity_id, int(re.search(r"〕(\d+)号", e.decision_no).group(1))) for e in rows]


@pytest.mark.django_db
def test_chunks_decide_what_one_pass_decides(org):
    made = non_filers(org)
    out = StringIO()
    counts = sweep.annual_report_listing(today=JULY_1, stdout=out, chunk=2)
    assert counts["listed"] == 7 and counts["skipped"] == 0
    assert "年报列异：7/7" in out.getvalue()  # progress, chunk by chunk
    assert ListEntry.objects.count() == Notice.objects.count() == 7
    assert AuditEntry.objects.filter(action="credit.list.entered").count() == 7
    # Each bureau numbers its own decisions 1, 2, 3… in the order of the entities, across chunk boundaries.
    assert numbers("新市监异") == [(e.pk, n) for n, e in enumerate(made["新华"], 1)]
    assert numbers("卫市监异") == [(e.pk, n) for n, e in enumerate(made["卫东"], 1)]
    # one record of the run, with the totals rather than the last chunk's
    run = AuditEntry.objects.get(action="credit.sweep.annual_report_listing")
    assert run.changes["listed"] == [None, 7]
    assert sweep.annual_report_listing(today=JULY_1, stdout=StringIO(), chunk=2)["listed"] == 0


@pytest.mark.django_db(transaction=True)
def test_a_run_stopped_half_way_keeps_its_chunks_and_the_next_run_lists_the_rest(org, monkeypatch):
    made = non_filers(org)
    decide = sweep._list_non_filers
    calls = []

    def fails_on_the_third_chunk(candidates, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("数据库连接中断")
        return decide(candidates, **kwargs)

    monkeypatch.setattr(sweep, "_list_non_filers", fails_on_the_third_chunk)
    monkeypatch.setitem(core_sweep.JOBS, "credit-annual-report-listing", core_sweep.Job(
        300, "credit-annual-report-listing", lambda **kw: sweep.annual_report_listing(chunk=2, **kw), atomic=False))
    [outcome] = core_sweep.run(today=JULY_1, only="credit-annual-report-listing")
    assert outcome.error == "数据库连接中断"
    # the first two chunks were committed: four decisions, each with its notice and audit entry
    assert ListEntry.objects.count() == Notice.objects.count() == 4
    assert AuditEntry.objects.filter(action="credit.list.entered").count() == 4

    monkeypatch.setattr(sweep, "_list_non_filers", decide)
    [outcome] = core_sweep.run(today=JULY_1, only="credit-annual-report-listing")
    assert outcome.ok and outcome.counts["listed"] == 3
    assert ListEntry.objects.values("entity").distinct().count() == ListEntry.objects.count() == 7
    assert numbers("新市监异") == [(e.pk, n) for n, e in enumerate(made["新华"], 1)]
    assert numbers("卫市监异") == [(e.pk, n) for n, e in enumerate(made["卫东"], 1)]


@pytest.mark.django_db
def test_an_entity_that_files_between_the_read_and_its_chunk_is_not_listed(org, monkeypatch):
    from .factories import report

    made = non_filers(org)
    late = made["新华"][-1]  # the last by id: alone in the third chunk of three
    decide = sweep._list_non_filers

    def files_before_the_last_chunk(candidates, **kwargs):
        if ListEntry.objects.count() == 6:
            report(late, 2025, filed_on=JULY_1)
        return decide(candidates, **kwargs)

    monkeypatch.setattr(sweep, "_list_non_filers", files_before_the_last_chunk)
    counts = sweep.annual_report_listing(today=JULY_1, stdout=StringIO(), chunk=3)
    assert counts["listed"] == 6
    assert not ListEntry.objects.filter(entity=late).exists()
