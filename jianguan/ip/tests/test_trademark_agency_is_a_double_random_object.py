import datetime as dt

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.inspections.models import InspectionItem, InspectionPlan
from jianguan.inspections.queries import pool_queryset
from jianguan.ip import services
from jianguan.registry.models import Licence

pytestmark = pytest.mark.django_db


def test_registered_agency_enters_a_plan_filtered_on_its_licence_kind(ip_officer, entity_in, org):
    agency_firm, other = entity_in("410402", unit="41040201"), entity_in("410402", unit="41040201")
    agency = services.trademark_agency_create(actor=ip_officer, entity=agency_firm, filing_no="TMA-001",
                                              filed_on=dt.date(2025, 1, 1))
    assert Licence.objects.get(pk=agency.licence_id).kind_id == "trademark_agency"
    plan = InspectionPlan.objects.create(code="P-ZC-1", year=2026, unit=org["410400"], title="商标代理机构抽查",
                                         filter_licence_kinds=["trademark_agency"], ratios={"B": "1"},
                                         min_age_months=0, exclusion_months=0)
    plan.items.set(InspectionItem.objects.filter(code="SJ-ZC-01"))
    pool = set(pool_queryset(plan, dt.date(2026, 3, 1)).values_list("pk", flat=True))
    assert agency_firm.pk in pool and other.pk not in pool


def test_item_list_has_the_trademark_agency_item_with_its_basis(db):
    item = InspectionItem.objects.get(code="SJ-ZC-01")
    assert "商标代理监督管理规定" in item.legal_basis


def test_filing_number_used_twice_is_refused(ip_officer, entity_in):
    services.trademark_agency_create(actor=ip_officer, entity=entity_in("410402", unit="41040201"),
                                     filing_no="TMA-001", filed_on=dt.date(2025, 1, 1))
    with pytest.raises(ValidationFailed, match="TMA-001") as exc:
        services.trademark_agency_create(actor=ip_officer, entity=entity_in("410402", unit="41040201"),
                                         filing_no="TMA-001", filed_on=dt.date(2025, 1, 1))
    assert exc.value.field == "filing_no"
