"""The start-up demo step creates the applicant and applications in each state, and is idempotent."""

import datetime as dt
import io

import pytest
from django.test import Client

from jianguan.core.demo import DEMO_PASSWORD
from jianguan.startup.demo import demo_startup
from jianguan.startup.models import Application

pytestmark = pytest.mark.django_db


def test_demo_states_and_idempotence(org):
    demo_startup(today=dt.date.today(), stdout=io.StringIO())
    counts = Application.objects.count()
    demo_startup(today=dt.date.today(), stdout=io.StringIO())
    assert Application.objects.count() == counts == 6
    states = set(Application.objects.values_list("state", flat=True))
    assert states == {"approved", "in_review", "draft", "public_notice"}
    food = Application.objects.get(name="平顶山市麦香食品有限公司")  # 一照通行: the filing granted on commitment
    assert list(food.entity.licences.values_list("kind_id", "by_commitment")) == [("food_filing", True)]
    assert Application.objects.get(name="平顶山市红枫信息技术有限公司").state == "draft"
    client = Client()
    r = client.post("/account/login/", {"username": "applicant", "password": DEMO_PASSWORD})
    assert r.status_code == 302
    approved = Application.objects.filter(auto_approved=True).first()
    assert client.get(f"/startup/applications/{approved.pk}/licence.pdf").status_code == 200
