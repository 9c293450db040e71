import datetime as dt
import io

import pytest

from jianguan.core.audit import AuditEntry
from jianguan.ip.demo import demo_ip
from jianguan.ip.models import CaseFacts, GIUser, TrademarkAgency

pytestmark = pytest.mark.django_db


def test_demo_loads_registers_and_case_facts_once(org, entity_in, ip_case, district_officer):
    from jianguan.core.tests.factories import staff

    staff("zc_officer", "410400ZC", ["ip_officer"], credential=False)
    for division in ("410425", "410421", "410482", "410402"):
        for _ in range(3):
            entity_in(division)
    for _ in range(12):
        entity_in("410402", unit="41040201")
    result = demo_ip(today=dt.date(2026, 3, 20), stdout=io.StringIO())
    assert GIUser.objects.count() == 9
    assert all(u.product.area == [u.entity.division_id] for u in GIUser.objects.select_related("product", "entity"))
    assert TrademarkAgency.objects.count() == 2
    assert CaseFacts.objects.filter(case=ip_case).exists()
    assert result["identifying"] == 1
    ip_case.refresh_from_db()
    assert ip_case.clock_paused
    assert AuditEntry.objects.filter(action="ip.demo.loaded").count() == 1
    assert demo_ip(today=dt.date(2026, 3, 20), stdout=io.StringIO()) == {"skipped": True}
