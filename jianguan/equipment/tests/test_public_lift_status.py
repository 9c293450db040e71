"""The public lift lookup by address shows the sign's facts and never personal data."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.equipment import services
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor, vessel

pytestmark = pytest.mark.django_db


def test_lifts_at_an_address_show_their_inspection_status_without_personal_data(org, client):
    today = timezone.localdate()
    user = supervisor()
    entity = EntityFactory(legal_rep="王建国", phone="13912345678")
    ok = lift(actor=user, entity=entity, location="平顶山市新华区金色家园3号楼1单元",
              commissioned_on=today - dt.timedelta(days=100), today=today)
    late = lift(actor=user, entity=entity, location="平顶山市新华区金色家园5号楼2单元",
                commissioned_on=today - dt.timedelta(days=500), today=today)
    vessel(actor=user, entity=entity, location="平顶山市新华区金色家园锅炉房", today=today)
    body = client.get("/equipment/lifts/", {"address": "金色家园"}).content.decode()
    assert ok.code in body and late.code in body
    assert "检验合格，在有效期内" in body and "超期未检或检验不合格" in body
    assert "锅炉房" not in body
    assert "王建国" not in body and "13912345678" not in body
    api = client.get("/api/v1/public/equipment/lifts", {"address": "金色家园"}).json()
    assert {r["code"] for r in api} == {ok.code, late.code}
    assert all("phone" not in r and "legal_rep" not in r for r in api)


def test_a_short_address_is_refused_with_a_hint(org, client):
    body = client.get("/equipment/lifts/", {"address": "家园"}).content.decode()
    assert "至少输入 4 个字" in body


def test_a_scrapped_lift_is_not_listed(org, client):
    today = timezone.localdate()
    user = supervisor()
    d = lift(actor=user, location="平顶山市卫东区东方花园1号楼", today=today)
    services.device_change_status(actor=user, device=d, status="scrapped", on=today, reason="报废", today=today)
    assert d.code not in client.get("/equipment/lifts/", {"address": "东方花园"}).content.decode()
