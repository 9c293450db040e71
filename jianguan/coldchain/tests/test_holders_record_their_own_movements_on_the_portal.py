"""A holder records its own movements on the portal (enterprise account), through the staff's service: its stock
in and out by tracing code; more out than it holds, a batch it never received, or another holder's movement are
refused with the field named and nothing written; a person's account may not use the page."""

import datetime as dt
from decimal import Decimal

import pytest

from jianguan.coldchain import services
from jianguan.coldchain.models import Movement
from jianguan.core.errors import ValidationFailed
from jianguan.credit.tests.factories import enterprise_account
from jianguan.registry.tests.factories import EntityFactory

from .factories import ENTERED, batch, hand_over, supervisor

pytestmark = pytest.mark.django_db
URL = "/coldchain/movements/"


def test_a_holder_records_in_and_out_and_bad_input_is_refused(org, client):
    staff = supervisor()
    store, shop = EntityFactory(name="平顶山某冷库有限公司"), EntityFactory(name="平顶山某超市有限公司")
    b = batch(actor=staff, importer=store)
    account = enterprise_account(shop)
    client.force_login(account)
    day = (ENTERED + dt.timedelta(days=2)).isoformat()
    resp = client.post(URL, {"tracing_code": b.tracing_code, "direction": "out", "quantity": "5", "moved_on": day})
    assert "从未进入 平顶山某超市有限公司" in resp.content.decode() and not Movement.objects.filter(holder=shop).exists()
    hand_over(actor=staff, batch=b, src=store, dst=shop, quantity="100")
    resp = client.post(URL, {"tracing_code": b.tracing_code, "direction": "out", "quantity": "150", "moved_on": day})
    assert "超过 平顶山某超市有限公司 现有数量 100" in resp.content.decode()
    resp = client.post(URL, {"tracing_code": "CC-NONE", "direction": "in", "quantity": "1", "moved_on": day})
    assert "追溯码 CC-NONE 未登记" in resp.content.decode()
    resp = client.post(URL, {"tracing_code": b.tracing_code, "direction": "out", "quantity": "40", "moved_on": day})
    assert resp.status_code == 302
    page = client.get(URL).content.decode()
    assert b.tracing_code in page and "出库" in page and "40" in page
    assert Movement.objects.filter(holder=shop, direction="out").get().quantity == 40
    with pytest.raises(ValidationFailed):  # an account records only its own entity's movements
        services.movement_record(actor=account, batch=b, holder=store, direction="out", quantity=Decimal("1"),
                                 moved_on=ENTERED + dt.timedelta(days=2))
    client.force_login(enterprise_account(EntityFactory(), username="ent_other"))
    assert b.tracing_code not in client.get(URL).content.decode()
