"""Applications that fail a rule go to the registrars of the district of the address, with the reasons."""

import pytest

from jianguan.startup import services
from jianguan.startup.models import Application, Decision

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(org):
    return factories.applicant()


@pytest.fixture
def routed(user):
    factories.entity("平顶山市鹰城商贸有限公司", division="410402", industry_code="51")
    return services.application_submit(actor=user, application=factories.application(user, trade="鹰城"))


def test_failing_application_is_routed_with_reasons(routed):
    assert routed.state == Application.State.IN_REVIEW
    assert routed.registration_authority.code == "410402"
    assert routed.due_at is not None
    decision = routed.decisions.get(action=Decision.Action.ROUTED)
    assert decision.reasons == ["与『平顶山市鹰城商贸有限公司』近似：字号相同"]


def test_district_registrar_sees_it_and_another_district_gets_404(routed, login):
    xh = factories.registrar("xh_reg", "410402")
    wd = factories.registrar("wd_reg", "410403")
    page = login(xh).get("/workbench/startup/").content.decode()
    assert routed.number in page and "字号相同" in page
    assert login(xh).get(f"/workbench/startup/applications/{routed.pk}/").status_code == 200
    client = login(wd)
    assert routed.number not in client.get("/workbench/startup/").content.decode()
    assert client.get(f"/workbench/startup/applications/{routed.pk}/").status_code == 404
    assert client.get(f"/workbench/startup/applications/{routed.pk}/licence.pdf").status_code == 404


def test_city_registration_department_sees_every_district(routed, login):
    city = factories.registrar("dj_reg", "410400DJ")
    assert routed.number in login(city).get("/workbench/startup/").content.decode()


def test_staff_without_the_permission_cannot_open_the_queue(routed, login, district_officer):
    assert login(district_officer).get("/workbench/startup/").status_code == 403


def test_personal_data_is_shown_to_the_registrar_but_masked_for_nobody_else(routed, login, client):
    xh = factories.registrar("xh_reg", "410402")
    assert routed.legal_rep_id_no in login(xh).get(f"/workbench/startup/applications/{routed.pk}/").content.decode()


def test_the_application_list_counts_sorts_and_exports_exactly_what_is_in_scope(routed, login):
    """core.lists on the staff application list: the total, sorting, the Excel file with exactly the rows of the
    filter in scope (none for another district), audited, with a fixed number of queries."""
    import io

    import openpyxl
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from jianguan.core.models import AuditEntry

    xh = login(factories.registrar("xh_reg", "410402"))
    body = xh.get("/workbench/startup/applications/?state=in_review&sort=-number").content.decode()
    assert 'data-testid="list-total">1<' in body and routed.number in body
    with CaptureQueriesContext(connection) as ctx:
        r = xh.get("/workbench/startup/applications/?state=in_review&export=xlsx")
    assert r.status_code == 200 and len(ctx) <= 16  # session, user, permissions, count, rows, audit
    rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:4] == ("申请编号", "名称", "类型", "状态")
    assert [x[0] for x in rows[1:]] == [routed.number] and rows[1][3] == routed.get_state_display()
    assert AuditEntry.objects.filter(action="list.exported", object_id="startup.applications").exists()
    wd = login(factories.registrar("wd_reg", "410403"))
    r = wd.get("/workbench/startup/applications/?export=xlsx")
    assert len(list(openpyxl.load_workbook(io.BytesIO(b"".join(r.streaming_content))).active.iter_rows())) == 1
    assert 'data-testid="list-problem"' in wd.get("/workbench/startup/applications/?sort=legal_rep_id_no").content.decode()
