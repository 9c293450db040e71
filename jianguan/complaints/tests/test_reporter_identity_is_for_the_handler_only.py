"""A reporter's name and phone are visible to the report's assigned handler only: not to colleagues, leaders,
lists or the API."""

import pytest

from jianguan.complaints import services
from jianguan.core.models import ApiToken
from jianguan.core.tests.factories import staff

from .factories import PNG, business, handler, report, upload

pytestmark = pytest.mark.django_db
NAME, PHONE = "王举报", "13900000002"


@pytest.fixture
def claimed(org, xh_handler):
    r, _ = report(entity=business(), uploads=[upload("photo.png", PNG)])
    return services.report_start_check(actor=xh_handler, complaint=r)


def test_the_assigned_handler_sees_the_reporter(claimed, xh_handler, login):
    body = login(xh_handler).get(f"/workbench/complaints/{claimed.number}/").content.decode()
    assert NAME in body and PHONE in body
    assert "photo.png" in body


@pytest.mark.parametrize("who", ["colleague", "leader"])
def test_others_in_scope_see_the_report_but_not_the_reporter(claimed, who, client):
    user = handler("xh_colleague", "410402") if who == "colleague" else staff("leader_t", "410400", ["bureau_leader"])
    client.force_login(user)
    detail = client.get(f"/workbench/complaints/{claimed.number}/")
    assert detail.status_code == 200
    body = detail.content.decode()
    assert NAME not in body and PHONE not in body and PHONE[-4:] not in body
    assert "仅承办人可见" in body
    assert "photo.png" not in body
    evidence = claimed.evidence.get()
    assert client.get(f"/workbench/complaints/{claimed.number}/evidence/{evidence.token}/").status_code == 404
    listing = client.get("/workbench/complaints/").content.decode()
    assert claimed.number in listing and NAME not in listing and NAME[0] + "*" not in listing


def test_the_api_hides_the_reporter_from_everyone_but_the_handler(claimed, xh_handler, client):
    colleague = handler("xh_colleague", "410402")
    for user, visible in ((xh_handler, True), (colleague, False)):
        raw = ApiToken.generate()
        ApiToken.objects.create(user=user, name="t", prefix=raw[3:11], key_hash=ApiToken.hash(raw))
        auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
        detail = client.get(f"/api/v1/complaints/{claimed.number}", **auth).json()
        assert (detail["person_name"] == NAME) is visible and (detail["person_phone"] == PHONE) is visible
        listing = client.get("/api/v1/complaints/", **auth).content.decode()
        assert NAME not in listing and PHONE not in listing


def test_a_consumers_identity_is_masked_in_lists_and_full_for_handlers(org, xh_handler, login):
    from .factories import complaint

    c, _ = complaint(entity=business())
    client = login(xh_handler)
    assert "李*" in client.get("/workbench/complaints/").content.decode()
    body = client.get(f"/workbench/complaints/{c.number}/").content.decode()
    assert "李消费" in body and "13800000001" in body
