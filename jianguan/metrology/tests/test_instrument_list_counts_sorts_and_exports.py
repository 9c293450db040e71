"""The instrument list on core.lists: total, sorting, the kind/text filters, the export of exactly the filtered
instruments in scope, a fixed number of queries."""

import datetime as dt

import pytest

from jianguan.core.models import AuditEntry, OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.core.tests.xlsx import rows
from jianguan.metrology import services
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def _register(user, serial, kind="fuel_dispenser", unit="41040201", name=None):
    owner = EntityFactory(unit=OrgUnit.objects.get(code=unit), **({"name": name} if name else {}))
    return services.instrument_register(actor=user, serial=serial, kind=kind, owner=owner, location="建设路",
                                        commissioned_on=dt.date(2025, 1, 10), today=TODAY)


def test_the_instrument_list_counts_sorts_filters_and_exports(org, login, django_assert_max_num_queries):
    user = staff("jl_t", "410400JL", ["metrology_supervisor"], name="计量监管员")
    _register(user, "JYJ-B", name="B加油站")
    _register(user, "JYJ-A", name="A加油站")
    _register(user, "JYJ-WD", unit="41040301")
    client = login(staff("jl_xh", "410402", ["metrology_supervisor"]))
    with django_assert_max_num_queries(14):
        body = client.get("/workbench/metrology/", {"sort": "-serial"}).content.decode()
    assert 'data-testid="list-total">2<' in body and "JYJ-WD" not in body
    assert body.index("JYJ-B") < body.index("JYJ-A")
    for n in range(4):
        _register(user, f"JYJ-C{n}")
    with django_assert_max_num_queries(14):
        client.get("/workbench/metrology/", {"sort": "-serial"})
    got = rows(login(user).get("/workbench/metrology/", {"q": "加油站", "sort": "owner", "export": "xlsx"}))
    assert got[0][:3] == ("出厂编号", "种类", "使用单位")
    assert [(x[0], x[2]) for x in got[1:]] == [("JYJ-A", "A加油站"), ("JYJ-B", "B加油站")]
    assert AuditEntry.objects.filter(action="list.exported", object_id="metrology.instruments").exists()
