"""The July listing in several processes (#23, PostgreSQL): the deciding bureaus are shared out between forked
processes, so each bureau's numbers are drawn in one of them, gap-free and in id order — the numbers one process
would give — and every decision is still whole (entry, notice, audit entry in a chain that verifies, text). A process
that fails is reported with the bureaus' work it could not do; what the others committed stays."""

import datetime as dt
import re
from io import StringIO

import pytest
from django.db import connection

from jianguan.core import audit
from jianguan.core.errors import DomainError
from jianguan.core.models import AuditEntry, SmsOutbox
from jianguan.credit import sweep
from jianguan.credit.models import ListEntry, Notice

from .factories import EntityFactory

JULY_1 = dt.date(2026, 7, 1)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="forked processes: PostgreSQL only"),
]


@pytest.fixture
def candidates(org, settings, tmp_path):
    settings.JIANGUAN_SMS_OUTBOX = str(tmp_path)
    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.FileSMSBackend"
    units = [org["41040201"], org["41040301"], org["410402"]]  # two bureaus: 新华区 (a station and itself), 卫东区
    # interleaved in id order: every chunk's range holds both bureaus' candidates
    return [EntityFactory(name=f"平顶山第{i}商贸有限公司", unit=units[i % 3], phone=f"139{i:08d}",
                          established_on=dt.date(2019, 5, 1)) for i in range(14)]


def _number(decision_no: str) -> int:
    return int(re.search(r"〕(\d+)号", decision_no).group(1))


def test_each_bureau_is_numbered_in_one_process_in_id_order(candidates, monkeypatch):
    monkeypatch.setattr(sweep, "PARALLEL_FROM", 1)
    out = StringIO()
    counts = sweep.annual_report_listing(today=JULY_1, stdout=out, chunk=3)
    assert counts["listed"] == 14 and counts["skipped"] == 0
    assert "年报列异：14/14（2 个进程）" in out.getvalue()
    by_bureau: dict[int, list[tuple[int, int]]] = {}
    for entity_id, unit_id, no in ListEntry.objects.values_list("entity_id", "deciding_unit_id", "decision_no"):
        by_bureau.setdefault(unit_id, []).append((entity_id, _number(no)))
    assert len(by_bureau) == 2
    for decided in by_bureau.values():
        decided.sort()
        assert [n for _, n in decided] == list(range(1, len(decided) + 1))  # gap-free, in id order
    assert Notice.objects.count() == 14 and SmsOutbox.objects.count() == 14
    assert AuditEntry.objects.filter(action="credit.list.entered").count() == 14
    assert audit.verify_chain().ok
    # a second run decides nothing again
    assert sweep.annual_report_listing(today=JULY_1, stdout=StringIO(), chunk=3)["listed"] == 0


def test_a_failing_process_fails_the_job_and_the_other_keeps_what_it_decided(candidates, monkeypatch):
    monkeypatch.setattr(sweep, "PARALLEL_FROM", 1)
    failing = candidates[1].unit.district().pk  # the bureau of the second candidate's unit
    original = sweep._list_non_filers

    def refusing(candidates_qs, **kwargs):
        if failing in kwargs["bureaus"].share:
            raise RuntimeError("磁盘已满")
        return original(candidates_qs, **kwargs)

    monkeypatch.setattr(sweep, "_list_non_filers", refusing)
    with pytest.raises(DomainError, match="年报列异未全部完成.*磁盘已满"):
        sweep.annual_report_listing(today=JULY_1, stdout=StringIO(), chunk=3)
    decided = set(ListEntry.objects.values_list("deciding_unit_id", flat=True))
    assert decided and failing not in decided  # the other bureau's decisions are committed
    assert audit.verify_chain().ok
    before = ListEntry.objects.count()
    monkeypatch.setattr(sweep, "_list_non_filers", original)
    assert sweep.annual_report_listing(today=JULY_1, stdout=StringIO(), chunk=3)["listed"] == 14 - before
    assert ListEntry.objects.count() == 14 and audit.verify_chain().ok
