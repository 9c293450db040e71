"""The abnormal-list removal clock (5 working days from the application or from finding the cause cured): the
nightly job flags an entry still listed the day after its last day, clears the flag once removed, and the deadline
board and the home card show it as overdue. Dates counted by hand from the 2026 holiday notice."""

from __future__ import annotations

import datetime as dt

import pytest

from jianguan.core.sweep import run
from jianguan.credit import services
from jianguan.credit.models import Ground, ListEntry, ListKind, RepairKind

from .factories import EntityFactory

pytestmark = pytest.mark.django_db
D = dt.date
JOB = "credit-abnormal-removal-overdue"

# (how the clock starts, on, last day to remove, why)
CASES = [
    ("application", D(2026, 9, 29), D(2026, 10, 12), "9/30、10/8、10/9、10/10（六上班）、10/12"),
    ("cure_found", D(2026, 4, 30), D(2026, 5, 11), "5/6–5/8、5/9（六上班）、5/11：劳动节 5/1–5/5 不计"),
    ("application", D(2026, 2, 11), D(2026, 2, 25), "2/12、2/13、2/14（六上班）、2/24、2/25：春节 2/15–2/23 不计"),
]


def _entry(how, on):
    entity = EntityFactory()
    entry = services.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系",
                                today=on - dt.timedelta(days=60))
    if how == "application":
        services.repair_apply(actor="t", entity=entity, kind=RepairKind.LIST_REMOVAL, list_entry=entry,
                              statement="已恢复在登记住所经营", today=on)
    else:
        services.list_cure_found(actor="t", entry=entry, note="经实地核查，住所可以联系", today=on)
    entry.refresh_from_db()
    return entry


@pytest.mark.parametrize("how, on, due, why", CASES, ids=[f"{c[0]}-{c[1]}" for c in CASES])
def test_removal_overdue_is_flagged_the_day_after_its_last_day(org, how, on, due, why):
    entry = _entry(how, on)
    assert entry.removal_due_on == due, why
    assert run(today=due, only=JOB)[0].counts["removal_overdue_flagged"] == 0, why
    assert run(today=due + dt.timedelta(days=1), only=JOB)[0].counts["removal_overdue_flagged"] == 1, why
    assert run(today=due + dt.timedelta(days=1), only=JOB)[0].counts == {"removal_overdue_flagged": 0,
                                                                          "removal_overdue_cleared": 0}
    assert ListEntry.objects.get(pk=entry.pk).removal_overdue


def test_removal_overdue_flag_clears_once_removed(org):
    entry = _entry("cure_found", D(2026, 4, 30))
    run(today=D(2026, 5, 12), only=JOB)
    services.list_remove(actor="t", entity=entry.entity, list_kind=ListKind.ABNORMAL, ground=Ground.UNREACHABLE,
                         reason="住所可以联系", today=D(2026, 5, 13))
    assert run(today=D(2026, 5, 13), only=JOB)[0].counts["removal_overdue_cleared"] == 1
    assert not ListEntry.objects.get(pk=entry.pk).removal_overdue


def test_removal_overdue_shows_on_the_deadline_board_and_home_card(org, client):
    from django.utils import timezone

    from jianguan.core.tests.factories import staff

    today = timezone.localdate()
    entry = _entry("application", today - dt.timedelta(days=30))
    run(today=today, only=JOB)
    head = staff("xh_rm_head", "410402", ["department_head"], name="新华区局负责人")
    client.force_login(head)
    board = client.get("/workbench/enforcement/board/").content.decode()
    assert 'data-testid="board-removals"' in board and "移出超期" in board and entry.entity.name in board
    assert "移出经营异常名录期限：自收到移出申请" in board
    home = client.get("/workbench/").content.decode()
    assert 'data-testid="removal-due"' in home and 'data-testid="removal-late"' in home
