"""一户一档: the staff entity page gathers the entity's credit record, list entries, inspections, cases, complaints,
devices and samples — each in the viewer's scope and permission — with an index, in a fixed number of queries."""

import datetime as dt

import pytest

from jianguan.complaints.tests.factories import complaint
from jianguan.core.tests.factories import staff
from jianguan.credit import services as credit
from jianguan.credit.models import Ground
from jianguan.enforcement.tests.factories import filed_case, lead
from jianguan.enforcement.tests.factories import officer as case_officer
from jianguan.equipment.tests.factories import lift
from jianguan.equipment.tests.factories import supervisor as equipment_supervisor

from .factories import EntityFactory

pytestmark = pytest.mark.django_db
ON = dt.date(2026, 10, 12)


def _page(client, entity):
    return client.get(f"/workbench/registry/entities/{entity.uscc}/")


def test_the_entity_page_holds_every_record_of_the_entity_in_fixed_queries(org, client, district_officer,
                                                                            django_assert_max_num_queries):
    entity = EntityFactory(unit=org["41040201"], name="平顶山市新华区样板超市有限公司")
    credit.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
    officers = [district_officer, case_officer("xh_officer2")]
    case = filed_case(actor=district_officer, officers=officers, on=ON,
                      the_lead=lead(actor=district_officer, entity=entity, discovered_on=ON - dt.timedelta(days=2)))
    c, _ = complaint(entity=entity, received_on=ON)
    device = lift(actor=equipment_supervisor(), entity=entity, today=ON)
    viewer = staff("xh_all", "410402", ["department_head", "case_officer", "complaint_handler", "credit_officer",
                                        "equipment_supervisor", "inspector"])
    client.force_login(viewer)
    with django_assert_max_num_queries(30) as first:
        body = _page(client, entity).content.decode()
    assert 'data-testid="dossier-index"' in body
    for testid in ("entity-credit", "entity-inspections", "entity-cases", "entity-complaints", "entity-devices"):
        assert f'data-testid="{testid}"' in body, testid
    assert case.number in body and c.number in body and device.code in body and "经营异常名录" in body
    assert "李消费" not in body and "13800000001" not in body  # the complainant stays on the complaint's page
    # more of everything: the same number of queries
    for n in range(3):
        filed_case(actor=district_officer, officers=officers, on=ON,
                   the_lead=lead(actor=district_officer, entity=entity, discovered_on=ON - dt.timedelta(days=1)))
        complaint(entity=entity, received_on=ON, person_phone=f"1380000001{n}")
        lift(actor=equipment_supervisor(), entity=entity, today=ON)
    with django_assert_max_num_queries(len(first.captured_queries)):
        _page(client, entity)


def test_a_viewer_sees_only_the_sections_of_their_permissions(org, client):
    entity = EntityFactory(unit=org["41040201"])
    credit.list_enter(actor="t", entity=entity, ground=Ground.UNREACHABLE, facts="无法联系", today=ON)
    client.force_login(staff("xh_dj", "410402", ["registrar"]))
    body = _page(client, entity).content.decode()
    assert 'data-testid="entity-cases"' not in body and 'data-testid="entity-complaints"' not in body
