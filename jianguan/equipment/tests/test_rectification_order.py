"""An overdue device gets a 责令改正通知书 in one click: numbered in the authority's 改 series (shared with the case
documents), printed as Word and PDF from the enforcement kit, with its deadline; an inspection or the device taken
out of use corrects it; an order still open after its deadline goes to enforcement as a lead by the daily job."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from jianguan.core import sweep
from jianguan.core.models import OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.enforcement import documents
from jianguan.enforcement.models import Lead
from jianguan.equipment import services
from jianguan.equipment.models import OverdueAction, RectificationOrder
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db


@pytest.fixture
def today():
    return timezone.localdate()


def _overdue_lift(actor, today, unit="41040201", days=40):
    entity = EntityFactory(unit=OrgUnit.objects.get(code=unit), name="平顶山市鹰城物业服务有限公司")
    device = lift(actor=actor, entity=entity, commissioned_on=today - dt.timedelta(days=800), today=today,
                  registration_no="梯11豫D00123")
    services.inspection_record(actor=actor, device=device, kind="periodic", body="检验所", conclusion="passed",
                               inspected_on=today - dt.timedelta(days=365 + days), today=today)
    device.refresh_from_db()
    return device


def _docx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return zf.read("word/document.xml").decode()


def test_one_click_issues_a_numbered_order_printed_as_word_and_pdf(org, login, today):
    user = supervisor()
    device = _overdue_lift(user, today)
    client = login(user)
    assert client.post(f"/workbench/equipment/{device.pk}/order/").status_code == 302
    client.post(f"/workbench/equipment/{device.pk}/order/")  # a second click: the same order
    order = RectificationOrder.objects.get()
    # the station acts in its district bureau's name: 新市监改〔year〕1号, and the next number of that series follows it
    assert order.number == f"新市监改〔{today.year}〕1号"
    assert documents.next_number(unit=order.unit, word="改", year=today.year) == f"新市监改〔{today.year}〕2号"
    assert order.correct_by == today + dt.timedelta(days=15) and order.status == "open"
    assert order.entity_id == device.entity_id and order.due == device.next_due
    text = _docx_text(bytes(order.docx))
    for words in ("责令改正通知书", order.number, "平顶山市鹰城物业服务有限公司", device.code, "梯11豫D00123",
                  "超期40日", "第四十条第一款", "第八十三条第（四）项", f"于{today.year}年"):
        assert words in text, words
    assert bytes(order.pdf).startswith(b"%PDF-")
    assert OverdueAction.objects.get(device=device).kind == "order"
    pdf = client.get(f"/workbench/equipment/orders/{order.pk}.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    docx = client.get(f"/workbench/equipment/orders/{order.pk}.docx")
    assert docx.status_code == 200 and "attachment" in docx["Content-Disposition"]
    body = client.get(f"/workbench/equipment/{device.pk}/").content.decode()
    assert order.number in body and 'data-testid="order-issue"' not in body
    listing = client.get("/workbench/equipment/orders/").content.decode()
    assert order.number in listing and device.code in listing
    due = client.get("/workbench/equipment/due/?which=overdue").content.decode()
    assert f"已责令改正 {order.number}" in due


def test_an_inspection_or_taking_the_device_out_of_use_corrects_the_order(org, today):
    user = supervisor()
    inspected = _overdue_lift(user, today)
    stopped = _overdue_lift(user, today)
    a = services.order_issue(actor=user, device=inspected, today=today)
    b = services.order_issue(actor=user, device=stopped, today=today)
    services.inspection_record(actor=user, device=inspected, kind="periodic", body="平顶山市特种设备检验所",
                               conclusion="passed", inspected_on=today, report_no="DT-1", today=today)
    services.device_change_status(actor=user, device=stopped, status="stopped", on=today, reason="停用待检",
                                  today=today)
    a.refresh_from_db()
    b.refresh_from_db()
    assert (a.status, a.corrected_on) == ("corrected", today) and "DT-1" in a.correction
    assert b.status == "corrected" and "停用" in b.correction
    # nothing left to hand over when the deadline passes
    assert services.orders_escalate(today=today + dt.timedelta(days=30)) == {"escalated": 0}
    assert not Lead.objects.exists()


def test_the_daily_job_hands_an_order_past_its_deadline_to_enforcement_once(org, today):
    user = supervisor()
    device = _overdue_lift(user, today)
    order = services.order_issue(actor=user, device=device, today=today)
    assert services.orders_escalate(today=order.correct_by) == {"escalated": 0}  # the last day is still in time
    later = order.correct_by + dt.timedelta(days=1)
    results = sweep.run(today=later, only="equipment-orders")
    order.refresh_from_db()
    lead = Lead.objects.get()
    assert order.status == "escalated" and order.lead_id == lead.pk and order.escalated_on == later
    assert order.number in lead.description and device.code in lead.description
    # the order and its lead cite the same provision: 未按照安全技术规范的要求及时申报并接受检验 (83(4)), not 84
    assert "第八十三条第（四）项" in lead.description and "第八十四条" not in lead.description
    assert results
    assert services.orders_escalate(today=later) == {"escalated": 0}  # idempotent
    assert Lead.objects.count() == 1
    assert set(OverdueAction.objects.filter(device=device).values_list("kind", flat=True)) == {"order", "lead"}


def test_the_lead_button_hands_a_running_order_on_and_an_order_after_a_lead_is_refused(org, login, today):
    user = supervisor()
    device = _overdue_lift(user, today)
    order = services.order_issue(actor=user, device=device, today=today)
    action = services.overdue_act(actor=user, device=device, today=today)
    order.refresh_from_db()
    assert action.kind == "lead" and order.status == "escalated" and order.lead_id == action.lead_id
    other = _overdue_lift(user, today)
    services.overdue_act(actor=user, device=other, today=today)
    client = login(user)
    body = client.post(f"/workbench/equipment/{other.pk}/order/", follow=True).content.decode()
    assert "已移送执法线索" in body
    assert not RectificationOrder.objects.filter(device=other).exists()


def test_no_order_for_a_device_not_overdue_and_none_without_the_permission_or_scope(org, login, today):
    user = supervisor()
    fresh = lift(actor=user, commissioned_on=today - dt.timedelta(days=100), today=today)
    body = login(user).post(f"/workbench/equipment/{fresh.pk}/order/", follow=True).content.decode()
    assert "未超期未检" in body
    device = _overdue_lift(user, today)
    leader = staff("leader_t", "410400", ["bureau_leader"])
    assert login(leader).post(f"/workbench/equipment/{device.pk}/order/").status_code == 403
    order = services.order_issue(actor=user, device=device, today=today)
    outsider = staff("wd_head_t", "410403", ["department_head"])
    assert login(outsider).get(f"/workbench/equipment/orders/{order.pk}.pdf").status_code == 404
    assert RectificationOrder.objects.count() == 1


def test_the_order_list_reads_in_a_fixed_number_of_queries(org, login, today, django_assert_max_num_queries):
    user = supervisor()
    for _ in range(2):
        services.order_issue(actor=user, device=_overdue_lift(user, today), today=today)
    client = login(user)
    with django_assert_max_num_queries(16) as first:
        assert client.get("/workbench/equipment/orders/").status_code == 200
    for _ in range(3):
        services.order_issue(actor=user, device=_overdue_lift(user, today), today=today)
    with django_assert_max_num_queries(len(first.captured_queries)):
        assert client.get("/workbench/equipment/orders/").status_code == 200
