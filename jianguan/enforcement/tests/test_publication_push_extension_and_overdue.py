"""The push of a decision to the party's home province (市场监管总局令第45号 第十条: 10 working days, +10 for a special
reason with approval): the extension approved by a named head of the unit, from the publications page or the API,
audited, atomic and idempotent on a double click; the nightly job flags the push overdue the day after its last day,
and the deadline board and the home card show it. Dates counted by hand from the 2026 holiday notice."""

import datetime as dt

import pytest

from jianguan.core.audit import AuditEntry
from jianguan.core.errors import TransitionNotAllowed
from jianguan.core.models import ApiToken, Division
from jianguan.core.sweep import run
from jianguan.enforcement import publication
from jianguan.enforcement.document_models import Publication
from jianguan.registry.tests.factories import EntityFactory

from .docfixtures import make_case, make_penalty

D = dt.date


def _outside_entity():
    province = Division.objects.get_or_create(code="110000", defaults={"name": "北京市", "level": 1})[0]
    district = Division.objects.get_or_create(code="110105", defaults={"name": "朝阳区", "level": 3,
                                                                       "parent": province})[0]
    return EntityFactory(division=district)


DECIDED = D(2026, 9, 29)


def _pub(officer, decided_on=DECIDED):
    case = make_case(officers=[officer], entity=_outside_entity())
    return publication.publication_schedule(penalty=make_penalty(case, decided_on=decided_on), actor=officer,
                                            today=decided_on)


def _extensions(pub) -> int:
    return AuditEntry.objects.filter(action="enforcement.publication.push_extended", object_id=str(pub.pk)).count()


# (decided on, last day to push, last day once extended, why — counted by hand)
PUSH = [
    (D(2026, 9, 29), D(2026, 10, 19), D(2026, 11, 2),
     "9/30、10/8、10/9、10/10（六上班）、10/12–16、10/19；再 10/20–23、10/26–30、11/2"),
    (D(2026, 2, 10), D(2026, 3, 2), D(2026, 3, 16),
     "2/11–13、2/14（六上班）、2/24–27、2/28（六上班）、3/2（春节 2/15–2/23 不计）；再 3/3–6、3/9–13、3/16"),
    (D(2026, 4, 28), D(2026, 5, 14), D(2026, 5, 28),
     "4/29、4/30、5/6–5/8、5/9（六上班）、5/11–14（劳动节 5/1–5/5 不计）；再 5/15、5/18–22、5/25–28"),
]


@pytest.mark.parametrize("decided, due, extended_due, why", PUSH, ids=[str(p[0]) for p in PUSH])
def test_push_extension_by_a_named_head_adds_10_working_days(district_officer, xh_head, decided, due, extended_due,
                                                             why):
    pub = _pub(district_officer, decided)
    assert pub.push_due == due, why
    pub = publication.publication_push_extend(publication=pub, actor=district_officer, approver=xh_head,
                                              reason="对方省级系统升级停止接收", today=due)
    assert pub.push_due == extended_due, why
    assert (pub.push_extension_approved_by, pub.push_extension_approved_on) == (xh_head, due)
    entry = AuditEntry.objects.get(action="enforcement.publication.push_extended", object_id=str(pub.pk))
    assert entry.changes["approved_by"][1] == xh_head.get_username()


def test_push_extension_double_click_extends_once(district_officer, xh_head):
    pub = _pub(district_officer)
    for _ in range(2):
        pub = publication.publication_push_extend(publication=pub, actor=xh_head, reason="对方系统维护",
                                                  today=D(2026, 10, 16))
    assert pub.push_due == D(2026, 11, 2) and _extensions(pub) == 1
    with pytest.raises(TransitionNotAllowed, match="已经延长过一次"):
        publication.publication_push_extend(publication=pub, actor=xh_head, reason="另一个原因", today=D(2026, 10, 20))


def test_push_extension_refused_for_a_non_head_after_the_deadline_or_at_home(district_officer, xh_head):
    pub = _pub(district_officer)
    with pytest.raises(TransitionNotAllowed, match="须经本单位负责人批准"):
        publication.publication_push_extend(publication=pub, actor=xh_head, approver=district_officer,
                                            reason="对方系统维护", today=D(2026, 10, 16))
    with pytest.raises(TransitionNotAllowed, match="2026-10-19 届满"):
        publication.publication_push_extend(publication=pub, actor=xh_head, reason="对方系统维护",
                                            today=D(2026, 10, 20))
    pub.refresh_from_db()
    assert not pub.push_extended and _extensions(pub) == 0


def test_push_extension_from_the_publications_page(client, district_officer, xh_head):
    pub = _pub(district_officer, D(2026, 12, 1))
    client.force_login(xh_head)
    page = client.get("/workbench/enforcement/publications/").content.decode()
    assert 'data-testid="push-extend"' in page and "批准人（本单位负责人）" in page
    assert "推送至当事人登记地（北京市）省级公示系统期限：自作出行政处罚决定（2026-12-01）起算" in page
    url = f"/workbench/enforcement/publications/{pub.pk}/push_extend/"
    form = {f"x{pub.pk}-approver": xh_head.pk, f"x{pub.pk}-reason": "对方系统维护", f"x{pub.pk}-on": "2026-12-03"}
    for _ in range(2):  # a double click
        assert client.post(url, form).status_code == 302
    pub.refresh_from_db()
    assert pub.push_extended and pub.push_extension_approved_by == xh_head and _extensions(pub) == 1
    page = client.get("/workbench/enforcement/publications/").content.decode()
    assert "因特殊原因（对方系统维护）经负责人新华区局负责人于2026-12-03批准延长 10个工作日" in page


def test_push_extension_page_names_the_missing_field(client, district_officer, xh_head):
    pub = _pub(district_officer, D(2026, 12, 1))
    client.force_login(xh_head)
    url = f"/workbench/enforcement/publications/{pub.pk}/push_extend/"
    response = client.post(url, {f"x{pub.pk}-approver": xh_head.pk, f"x{pub.pk}-on": "2026-12-03"}, follow=True)
    assert "未延长：特殊原因" in response.content.decode()
    pub.refresh_from_db()
    assert not pub.push_extended


def test_push_extension_api_is_idempotent_and_explains_the_clock(client, district_officer, xh_head):
    pub = _pub(district_officer)
    raw = ApiToken.generate()
    ApiToken.objects.create(user=district_officer, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    officer_auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    raw = ApiToken.generate()
    ApiToken.objects.create(user=xh_head, name="h", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
    head_auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    url = f"/api/v1/enforcement/publications/{pub.pk}/push-extension"
    body = {"reason": "对方系统维护", "approver": xh_head.username, "on": "2026-10-16"}
    assert client.post(url, body, content_type="application/json", **officer_auth).status_code == 403
    for _ in range(2):
        answer = client.post(url, body, content_type="application/json", **head_auth)
        assert answer.status_code == 200, answer.content
    data = answer.json()
    assert data["push_due"] == "2026-11-02" and data["push_extension_approved_by"] == xh_head.username
    assert data["deadline_explained"]["extensions"][0]["days"] == 10
    assert "第十条" in data["deadline_explained"]["article"] and _extensions(pub) == 1
    bad = client.post(url, {**body, "approver": "nobody"}, content_type="application/json", **head_auth)
    assert bad.status_code == 422 and "nobody" in bad.content.decode()
    clock = client.get(f"/api/v1/enforcement/publications/{pub.pk}/push", **officer_auth).json()
    assert clock["push_extended"] and clock["deadline_explained"]["start_on"] == "2026-09-29"


@pytest.mark.parametrize("decided, due, why", [(p[0], p[1], p[3]) for p in PUSH], ids=[str(p[0]) for p in PUSH])
def test_push_overdue_is_flagged_the_day_after_its_last_day(district_officer, decided, due, why):
    pub = _pub(district_officer, decided)
    job = "enforcement-publication-push-overdue"
    assert run(today=due, only=job)[0].counts["push_overdue_flagged"] == 0, why
    assert run(today=due + dt.timedelta(days=1), only=job)[0].counts["push_overdue_flagged"] == 1, why
    assert run(today=due + dt.timedelta(days=1), only=job)[0].counts == {"push_overdue_flagged": 0,
                                                                          "push_overdue_cleared": 0}
    pub.refresh_from_db()
    assert pub.push_overdue
    pub = publication.publication_push(publication=pub, actor=district_officer, today=due + dt.timedelta(days=2))
    assert not pub.push_overdue


def test_push_overdue_shows_on_the_deadline_board_and_home_card(client, district_officer, xh_head):
    from django.utils import timezone

    today = timezone.localdate()
    pub = _pub(district_officer, today - dt.timedelta(days=40))
    run(today=today, only="enforcement-publication-push-overdue")
    assert Publication.objects.get(pk=pub.pk).push_overdue
    client.force_login(xh_head)
    board = client.get("/workbench/enforcement/board/").content.decode()
    assert 'data-testid="board-pushes"' in board and "推送超期" in board and pub.decision_no in board
    home = client.get("/workbench/").content.decode()
    assert pub.decision_no in home and "外省推送期限" in home
