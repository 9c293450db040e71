"""The hazard and certificate lists (core.lists): the total, a work-queue order by default (the nearest deadline or
expiry first), sorting on a column, a search, the export of exactly the filtered rows in the order shown; a fixed
number of queries however many rows."""

import datetime as dt

import pytest

from jianguan.core.models import AuditEntry
from jianguan.core.tests.xlsx import rows
from jianguan.equipment import services
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def test_hazards_are_counted_sorted_searched_and_exported(org, login, django_assert_max_num_queries):
    user = supervisor()
    device = lift(actor=user)
    for found, text in ((dt.date(2026, 11, 20), "报警装置失效"), (dt.date(2026, 11, 1), "制动器磨损超标")):
        services.hazard_add(actor=user, device=device, found_on=found, description=text, today=TODAY)
    client = login(user)
    client.get("/workbench/equipment/hazards/")
    with django_assert_max_num_queries(16):
        body = client.get("/workbench/equipment/hazards/").content.decode()
    assert 'data-testid="list-total">2<' in body and "整改期限最近的在前" in body
    assert body.index("制动器磨损超标") < body.index("报警装置失效")
    body = client.get("/workbench/equipment/hazards/?sort=-deadline").content.decode()
    assert body.index("报警装置失效") < body.index("制动器磨损超标")
    assert "制动器" not in client.get("/workbench/equipment/hazards/?q=报警").content.decode()
    for i in range(4):
        services.hazard_add(actor=user, device=device, found_on=dt.date(2026, 10, 1 + i), description=f"隐患{i}",
                            today=TODAY)
    with django_assert_max_num_queries(16):
        client.get("/workbench/equipment/hazards/")
    got = rows(client.get("/workbench/equipment/hazards/", {"export": "xlsx", "q": "失效", "sort": "found_on"}))
    assert got[0][:3] == ("设备", "使用单位", "隐患") and len(got) == 2 and "报警装置失效" in got[1][2]
    assert AuditEntry.objects.filter(action="list.exported", object_id="equipment.hazards").exists()


def test_certificates_are_counted_sorted_and_exported(org, login):
    user = supervisor()
    entity = EntityFactory(name="平顶山市鹰城电梯维保有限公司")
    for number, holder, expires in (("T41040000001", "王师傅", dt.date(2027, 3, 1)),
                                    ("T41040000002", "李师傅", dt.date(2026, 12, 20))):
        services.certificate_add(actor=user, entity=entity, holder=holder, number=number, kind="T",
                                 issued_on=dt.date(2023, 1, 1), expires_on=expires, today=TODAY)
    client = login(user)
    body = client.get("/workbench/equipment/certificates/").content.decode()
    assert 'data-testid="list-total">2<' in body and body.index("李师傅") < body.index("王师傅")
    body = client.get("/workbench/equipment/certificates/?sort=number").content.decode()
    assert body.index("王师傅") < body.index("李师傅")
    got = rows(client.get("/workbench/equipment/certificates/?export=xlsx&sort=-number&q=鹰城"))
    assert [r[0] for r in got[1:]] == ["T41040000002", "T41040000001"]
    assert got[0] == ("证书编号", "持证人", "作业项目", "聘用单位", "有效期至")


def test_accidents_are_counted_and_exported(org, login):
    user = supervisor()
    device = lift(actor=user)
    services.accident_record(actor=user, device=device, occurred_on=dt.date(2026, 11, 5), level="general",
                             deaths=0, injuries=1, description="困人，一人轻伤", today=TODAY)
    client = login(user)
    body = client.get("/workbench/equipment/accidents/").content.decode()
    assert 'data-testid="list-total">1<' in body and "最近发生的在前" in body
    got = rows(client.get("/workbench/equipment/accidents/", {"export": "xlsx", "q": device.code}))
    assert got[0][:3] == ("日期", "设备", "使用单位") and got[1][1] == device.code and got[1][5] == 1


def test_campaigns_are_counted_sorted_searched_and_exported(org, login, django_assert_max_num_queries):
    user = supervisor()
    for title, tag, start in (("电梯安全专项整治", "电梯", dt.date(2026, 11, 1)),
                              ("气瓶充装专项整治", "气瓶", dt.date(2026, 3, 1)),
                              ("锅炉能效专项检查", "锅炉", dt.date(2026, 6, 1))):
        services.campaign_create(actor=user, title=title, tag=tag, categories_=["3100"], checklist=["使用标志有效"],
                                 starts_on=start, ends_on=dt.date(2026, 12, 31), unit=user.profile.unit)
    client = login(user)
    url = "/workbench/equipment/campaigns/"
    client.get(url)
    with django_assert_max_num_queries(16):
        body = client.get(url).content.decode()
    assert 'data-testid="list-total">3<' in body and "最近开始的在前" in body
    assert body.index("电梯安全") < body.index("锅炉能效") < body.index("气瓶充装")
    body = client.get(url, {"sort": "starts_on"}).content.decode()
    assert body.index("气瓶充装") < body.index("锅炉能效") < body.index("电梯安全")
    got = rows(client.get(url, {"export": "xlsx", "q": "专项整治", "sort": "starts_on"}))
    assert got[0] == ("名称", "标签", "开始", "结束", "设备类别", "检查项目", "已检查（台）", "组织单位")
    assert [r[0] for r in got[1:]] == ["气瓶充装专项整治", "电梯安全专项整治"] and got[1][5] == 1 and got[1][6] == 0
