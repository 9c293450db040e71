import datetime as dt
import io

import pytest

from jianguan.inspections.models import InspectionPlan
from jianguan.inspections.queries import pool_queryset
from jianguan.quality import services
from jianguan.quality.sweep import expire_accreditations
from jianguan.registry.models import Licence, LicenceStatus

pytestmark = pytest.mark.django_db


def test_lapsed_accreditation_is_marked_expired_once_and_leaves_the_pool(quality_officer, entity_in, org):
    lab = services.testing_institution_create(actor=quality_officer, entity=entity_in("410402", unit="41040201"),
                                              cma_no="161612050001", scope=["燃烧性能"], issued_on=dt.date(2020, 5, 10))
    plan = InspectionPlan.objects.create(code="P-JC-2", year=2026, unit=org["410400"], title="检验检测机构抽查",
                                         filter_licence_kinds=["testing_cma"], ratios={"B": "1"}, min_age_months=0,
                                         exclusion_months=0)
    # Valid until 9 May 2026: still drawn on that day, marked expired by the sweep of 10 May.
    assert expire_accreditations(today=dt.date(2026, 5, 9), stdout=io.StringIO()) == {"expired": 0}
    assert pool_queryset(plan, dt.date(2026, 5, 9)).filter(pk=lab.entity_id).exists()
    assert expire_accreditations(today=dt.date(2026, 5, 10), stdout=io.StringIO()) == {"expired": 1}
    assert Licence.objects.get(pk=lab.licence_id).status == LicenceStatus.EXPIRED
    assert not pool_queryset(plan, dt.date(2026, 5, 10)).filter(pk=lab.entity_id).exists()
    assert expire_accreditations(today=dt.date(2026, 5, 11), stdout=io.StringIO()) == {"expired": 0}
