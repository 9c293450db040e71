"""The public side of drug supervision (/drugs/): the licensed pharmacies and device shops with their licence's
validity and their latest published inspection, a drug campaign's published results counted, the way to report an
adverse reaction; what is not public stays out (hospitals, an expired or withdrawn licence, a closed business, the
legal representative's ID number, phone and address, the focus list, the adverse-event reports); the portal links
to it; the list's queries do not grow with its rows."""

import datetime as dt

import pytest
from django.utils import timezone

from jianguan.core import registers
from jianguan.core.models import OrgUnit
from jianguan.credit.models import EntityRisk
from jianguan.drugs import services
from jianguan.drugs.models import SupervisedObject
from jianguan.drugs.registers import OBJECTS
from jianguan.inspections import queries
from jianguan.inspections import services as inspections
from jianguan.inspections.models import InspectionPlan
from jianguan.inspections.tests import factories as insp
from jianguan.registry.models import EntityStatus, LicenceKind
from jianguan.registry.tests.factories import EntityFactory, LicenceFactory

from .factories import event, pharmacy, supervisor

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def _outlet(actor, name, **licence):
    firm, lic = pharmacy(name=name, established_on=dt.date(2019, 1, 1))
    for field, value in licence.items():
        setattr(lic, field, value)
    lic.save()
    services.object_register(actor=actor, entity=firm, kind="pharmacy", licence=lic.number)
    return firm, lic


@pytest.fixture
def world(org):
    actor = supervisor()
    shown = [_outlet(actor, f"平顶山市康泰大药房第{i}店") for i in range(3)]
    device = EntityFactory(name="平顶山市安康医疗器械有限公司")
    dlic = LicenceFactory(entity=device, kind=LicenceKind.objects.get(code="device_business"), number="豫平食药监械经营许20260001",
                          valid_until=TODAY + dt.timedelta(days=400))
    services.object_register(actor=actor, entity=device, kind="device_shop", licence=dlic.number)
    services.object_register(actor=actor, entity=EntityFactory(name="平顶山市第九人民医院"), kind="hospital",
                             practice_licence_no="PDS-2026-001")
    expired, _ = _outlet(actor, "平顶山市过期大药房")
    expired_lic = expired.licences.get()
    expired_lic.valid_until = TODAY - dt.timedelta(days=1)
    expired_lic.save()
    closed, _ = _outlet(actor, "平顶山市已注销大药房")
    closed.status = EntityStatus.DEREGISTERED
    closed.save()
    withdrawn, _ = _outlet(actor, "平顶山市撤回大药房")
    registers.withdraw_row(OBJECTS, actor=actor, row=SupervisedObject.objects.get(entity=withdrawn), reason="重复登记")
    services.focus_add(actor=actor, category="blood", product="人血白蛋白", approval_no="国药准字S20060001",
                       holder=shown[0][0], listed_on=TODAY - dt.timedelta(days=30))
    event(actor=actor, reporter=shown[1][0], description="服药后出现严重皮疹，患者王某某")
    return actor, shown, device


def _publish_campaign(actor, firms, categories):
    """The 麻醉药品 campaign of 新华区 drawing exactly ``firms``, each concluded in its category and published."""
    EntityRisk.objects.bulk_create([EntityRisk(entity=f, risk_class="B", score=0) for f in firms])
    head = insp.head()
    insp.inspector("yp_insp_a", name="检查员甲")
    insp.inspector("yp_insp_b", name="检查员乙")
    campaign = services.campaign_create(actor=actor, kind="narcotic", year=TODAY.year,
                                        unit=OrgUnit.objects.get(code="410402"))
    # everyone in the pool drawn (the focus-list holder sits in stratum C), so the test does not hang on the draw
    sizes = queries.build_pool(campaign.plan, TODAY, with_inspectors=False).sizes
    InspectionPlan.objects.filter(pk=campaign.plan_id).update(quota_overrides=dict(sizes))
    plan = inspections.plan_publish(actor=head, plan=InspectionPlan.objects.get(pk=campaign.plan_id))
    batch = insp.batch(head, plan, step="published")
    tasks = {t.entity_id: t for t in batch.tasks.all()}
    assert {f.pk for f in firms} <= set(tasks)
    done = [insp.conclude(tasks[f.pk], category) for f, category in zip(firms, categories, strict=True)]
    inspections.results_publish(actor=head, tasks=done)
    return campaign


def test_the_public_sees_licensed_outlets_their_licence_and_latest_inspection(world, client):
    actor, shown, device = world
    (a, _), (b, lic_b), (c, _) = shown
    campaign = _publish_campaign(actor, [a, b], ["no_problem", "corrected"])

    page = client.get("/drugs/")
    html = page.content.decode()
    assert page.status_code == 200
    assert {r["o"].entity.name for r in page.context["rows"]} == {a.name, b.name, c.name, device.name}
    for absent in ("平顶山市第九人民医院", "平顶山市过期大药房", "平顶山市已注销大药房", "平顶山市撤回大药房"):
        assert absent not in html
    by_name = {r["o"].entity.name: r for r in page.context["rows"]}
    assert by_name[a.name]["task"].outcome == "未发现问题" and not by_name[a.name]["task"].problems
    assert by_name[b.name]["task"].outcome == "发现问题已责令改正"
    assert by_name[c.name]["task"] is None and "尚无已公示的抽查结果" in html
    assert lic_b.number in html and f"有效期至 <span class=\"text-nowrap\">{lic_b.valid_until:%Y-%m-%d}" in html
    assert campaign.plan.title in html and f"/inspections/results/{b.uscc}/" in html and f"/entities/{b.uscc}/" in html
    # nothing personal, nothing of the focus list or the reports
    for private in ("410402199001011234", "13812345678", a.legal_rep, a.address, "人血白蛋白", "国药准字S20060001",
                    "王某某", "皮疹"):
        assert private not in html
    assert 'data-testid="adverse-guide"' in html and "第二十三条" in html and "/complaints/" in html

    assert [r["o"].entity.name for r in client.get("/drugs/", {"kind": "device_shop"}).context["rows"]] == [
        device.name]
    assert [r["o"].entity.name for r in client.get("/drugs/", {"q": "康泰大药房第1"}).context["rows"]] == [b.name]
    assert client.get("/drugs/", {"county": "410403"}).context["rows"] == []
    assert {r["o"].entity.name for r in client.get("/drugs/", {"inspected": "1"}).context["rows"]} == {a.name, b.name}
    assert len(client.get("/drugs/", {"county": "410402"}).context["rows"]) == 4

    campaigns = client.get("/drugs/campaigns/")
    row = campaigns.context["page"].object_list[0]
    assert (row.inspected, row.with_problems) == (2, 1)
    assert f"/inspections/plans/{campaign.plan.code}/" in campaigns.content.decode()

    from jianguan.drugs import opendata
    from jianguan.portal.opendata import DATASETS

    assert any(d.name == "drug_outlets" for d in DATASETS)
    dumped = {r[0]: r for r in opendata.outlet_rows(TODAY)}
    assert set(dumped) == {a.uscc, b.uscc, c.uscc, device.uscc}
    assert dumped[b.uscc] == (b.uscc, b.name, "pharmacy", "零售药店", b.division.name, lic_b.kind.name, lic_b.number,
                              lic_b.valid_until.isoformat() if lic_b.valid_until else "")

    portal = client.get("/").content.decode()
    assert 'href="/drugs/"' in portal and "药店和医疗器械经营企业" in portal


def test_a_draft_campaign_is_not_public(world, client):
    actor, _shown, _device = world
    services.campaign_create(actor=actor, kind="tcm", year=TODAY.year, unit=OrgUnit.objects.get(code="410402"))
    html = client.get("/drugs/campaigns/").content.decode()
    assert "暂无已公示的药品专项检查" in html


def test_the_list_queries_do_not_grow_with_its_rows(world, client, django_assert_max_num_queries):
    actor, shown, _device = world
    _publish_campaign(actor, [f for f, _ in shown], ["no_problem", "corrected", "follow_up"])
    # districts, count, the page with each row's latest task id, those tasks, their results (+ a cold content-type
    # cache for the withdrawn rows)
    with django_assert_max_num_queries(6) as few:
        assert client.get("/drugs/").status_code == 200
    for i in range(40):  # more than a page
        _outlet(actor, f"平顶山市新增大药房{i:02d}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get("/drugs/", {"page": 2})
    assert page.status_code == 200 and page.context["page"].number == 2 and len(page.context["rows"]) == 14
    with django_assert_max_num_queries(6):
        assert client.get("/drugs/campaigns/").status_code == 200
