"""A holder's own systems record its movements and report on its tasks through the API with an enterprise token
(``qy_…``) created on the portal: the same service as its pages (more out than held refused, nothing written);
the token acts only for its own entity, is refused by the staff API, and stops working once revoked; a staff token
is refused here; a person's account cannot create one."""

import datetime as dt

import pytest
from django.test import Client

from jianguan.coldchain import services
from jianguan.coldchain.models import Movement, Task
from jianguan.core import services as core_services
from jianguan.core.errors import DomainError
from jianguan.core.models import ApiToken
from jianguan.credit.tests.factories import enterprise_account
from jianguan.registry.tests.factories import EntityFactory

from .factories import batch, hand_over, supervisor

pytestmark = pytest.mark.django_db
MY = "/api/v1/coldchain/my"


@pytest.fixture
def store(org):
    staff = supervisor()
    importer, store, shop = EntityFactory(), EntityFactory(name="平顶山某冷库有限公司"), EntityFactory()
    b = batch(actor=staff, importer=importer, quantity="1000")
    hand_over(actor=staff, batch=b, src=importer, dst=store, quantity="300")
    return staff, b, store, shop, enterprise_account(store)


def _token_from_the_portal(account) -> str:
    client = Client()
    client.force_login(account)
    page = client.post("/coldchain/api/", {"name": "仓储管理系统"}).content.decode()
    token = ApiToken.objects.get(user=account)
    raw = page.split('user-select-all">', 1)[1].split("<", 1)[0]
    assert raw.startswith("qy_") and ApiToken.hash(raw) == token.key_hash and token.expires_at
    assert raw not in client.get("/coldchain/api/").content.decode()  # shown once
    return raw


def test_the_holder_records_movements_and_bad_input_writes_nothing(store):
    _staff, b, store_entity, shop, account = store
    api = Client(HTTP_AUTHORIZATION=f"Bearer {_token_from_the_portal(account)}")
    ok = api.post(f"{MY}/movements", {"tracing_code": b.tracing_code, "direction": "out", "quantity": "200",
                                      "moved_on": "2026-11-04", "counterparty": shop.uscc},
                  content_type="application/json")
    assert ok.status_code == 200, ok.content
    assert ok.json()["direction"] == "out" and ok.json()["counterparty"] == shop.uscc
    before = Movement.objects.count()
    bad = api.post(f"{MY}/movements", {"tracing_code": b.tracing_code, "direction": "out", "quantity": "150",
                                       "moved_on": "2026-11-05"}, content_type="application/json")
    assert bad.status_code == 422 and "超过 平顶山某冷库有限公司 现有数量 100" in bad.json()["error"]["message"]
    unknown = api.post(f"{MY}/movements", {"tracing_code": "CC-NONE", "direction": "in", "quantity": "1",
                                           "moved_on": "2026-11-05"}, content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["error"]["details"] == [{"field": "tracing_code"}]
    assert Movement.objects.count() == before
    listed = api.get(f"{MY}/movements").json()
    assert [(m["direction"], m["quantity"]) for m in listed] == [("out", "200.000"), ("in", "300.000")]
    assert Movement.objects.get(pk=ok.json()["id"]).holder == store_entity


def test_the_holder_reads_its_tasks_and_reports_back(store):
    staff, b, store_entity, shop, account = store
    services.trace_start(actor=staff, batch=b, reason="recall", origin=b.importer, detected_on=dt.date(2026, 11, 20))
    api = Client(HTTP_AUTHORIZATION=f"Bearer {_token_from_the_portal(account)}")
    tasks = api.get(f"{MY}/tasks").json()
    assert tasks and {t["tracing_code"] for t in tasks} == {b.tracing_code}
    assert len(tasks) == Task.objects.filter(holder__entity=store_entity).count()
    seal = next(t for t in tasks if t["kind"] == "seal")
    done = api.post(f"{MY}/tasks/{seal['id']}/report", {"report": "在库 300 kg 已封存"},
                    content_type="application/json")
    assert done.status_code == 200 and done.json()["report"] == "在库 300 kg 已封存" and not done.json()["done_at"]
    theirs = Task.objects.exclude(holder__entity=store_entity).first()
    assert api.post(f"{MY}/tasks/{theirs.pk}/report", {"report": "代报"},
                    content_type="application/json").status_code == 404


def test_the_token_is_only_the_holders_and_ends_when_revoked(store):
    staff, b, _store_entity, _shop, account = store
    raw = _token_from_the_portal(account)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert api.get("/api/v1/coldchain/batches").status_code == 401  # the staff API never takes it
    assert api.get("/api/v1/me").status_code == 401
    staff_raw = ApiToken.generate()
    ApiToken.objects.create(user=staff, name="t", prefix=staff_raw[3:11], key_hash=ApiToken.hash(staff_raw))
    assert Client(HTTP_AUTHORIZATION=f"Bearer {staff_raw}").get(f"{MY}/movements").status_code == 401
    portal = Client()
    portal.force_login(account)
    token = ApiToken.objects.get(user=account)
    assert portal.post(f"/coldchain/api/{token.pk}/revoke/").status_code == 302
    assert api.get(f"{MY}/movements").status_code == 401


def test_a_persons_account_cannot_have_one(org):
    from django.contrib.auth import get_user_model

    person = get_user_model().objects.create_user("citizen_y", password="x")
    with pytest.raises(DomainError, match="仅企业账号"):
        core_services.enterprise_api_token_create(actor=person, name="x")
    client = Client()
    client.force_login(person)
    assert client.get("/coldchain/api/").status_code == 403
