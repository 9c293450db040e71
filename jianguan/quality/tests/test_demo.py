import datetime as dt
import io

import pytest

from jianguan.core.audit import AuditEntry
from jianguan.quality.demo import demo_quality
from jianguan.quality.models import TestingInstitution, TestReport, Visit, VisitStatus
from jianguan.quality.services import accreditation_problem

pytestmark = pytest.mark.django_db


def test_demo_loads_a_year_of_visits_and_valid_reports_once(org, entity_in):
    for division in ("410421", "410481", "410411"):
        for _ in range(12):
            entity_in(division)
    for _ in range(34):
        entity_in("410402", unit="41040201")
    today = dt.date(2026, 6, 1)
    result = demo_quality(today=today, stdout=io.StringIO())
    assert result["visits"] == 36
    assert Visit.objects.filter(status=VisitStatus.VISITED).exists()
    assert Visit.objects.filter(status=VisitStatus.PLANNED).exists()
    assert TestingInstitution.objects.count() == 2
    # Every demo report respects the rule the services enforce.
    for report in TestReport.objects.select_related("institution__entity"):
        assert accreditation_problem(report.institution, report.item, report.issued_on) is None
    assert AuditEntry.objects.filter(action="quality.demo.loaded").count() == 1
    assert demo_quality(today=today, stdout=io.StringIO()) == {"skipped": True}
