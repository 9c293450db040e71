"""The public page and API never show ID numbers, phones or home addresses, and mask individuals' names."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.enforcement import publication
from jianguan.registry.models import EntityKind
from jianguan.registry.tests.factories import EntityFactory

from .docfixtures import make_case, make_penalty

ID_NO = "410402199001011234"
PHONE = "13812345678"
HOME = "新华区建设路8号院3号楼2单元"
TODAY = timezone.localdate() - dt.timedelta(days=1)  # the public pages show what is shown today


def _publish(penalty):
    pub = publication.publication_schedule(penalty=penalty, actor="system", today=TODAY)
    return publication.publication_publish(publication=pub, actor="system", today=TODAY)


@pytest.fixture
def individual_business(org, district_officer):
    entity = EntityFactory(kind=EntityKind.INDIVIDUAL, name="新华区张三明小吃店", legal_rep="张三明",
                           legal_rep_id_no=ID_NO, phone=PHONE, address=HOME,
                           unit=OrgUnit.objects.get(code="41040201"))
    facts = (f"当事人经营者张三明（身份证号码{ID_NO}，联系电话{PHONE}，住{HOME}）于2026年3月1日销售过期食品。\n"
             "另查明其备用电话0375-2345678。")
    case = make_case(officers=[district_officer], entity=entity, facts=facts)
    return _publish(make_penalty(case, kinds=["fine"], fine="3000", facts=facts, decided_on=TODAY))


@pytest.fixture
def natural_person(org, district_officer):
    case = make_case(officers=[district_officer], entity=None, party_name="李大伟", party_kind="individual",
                     party_id_no="410402198805051234", party_address="新华区光明路1号",
                     facts="李大伟（身份证号码410402198805051234）在新华区光明路1号家中无照经营。")
    return _publish(make_penalty(case, kinds=["fine"], fine="2000", decided_on=TODAY, legal_basis="《无证无照经营查处办法》第十三条"))


def _assert_clean(text: str, *secrets: str):
    for s in secrets:
        assert s not in text, f"{s!r} is public"


def test_individual_business_page_and_api(client, individual_business):
    pub = individual_business
    pages = [client.get(reverse("enforcement_public:index")).content.decode(),
             client.get(reverse("enforcement_public:index"), {"q": "小吃店"}).content.decode(),
             client.get(reverse("enforcement_public:detail", args=[pub.pk])).content.decode(),
             client.get("/api/v1/public/penalties/").content.decode(),
             client.get(f"/api/v1/public/penalties/{pub.pk}").content.decode()]
    for text in pages:
        _assert_clean(text, ID_NO, PHONE, HOME, "张三明", "0375-2345678")
    detail = pages[2]
    assert "新华区张*明小吃店" in detail and "销售过期食品" in detail
    assert "新华区张*明小吃店" in pages[1]
    api = client.get("/api/v1/public/penalties/").json()["results"][0]
    assert api["party_name"] == "新华区张*明小吃店" and api["legal_rep"] == "张*明"


def test_natural_person(client, natural_person):
    pub = natural_person
    text = client.get(reverse("enforcement_public:detail", args=[pub.pk])).content.decode()
    text += client.get("/api/v1/public/penalties/").content.decode()
    _assert_clean(text, "410402198805051234", "新华区光明路1号", "李大伟")
    assert "李*伟" in text and "无照经营" in text


def test_organisation_keeps_its_name_code_and_legal_representative(client, district_officer):
    case = make_case(officers=[district_officer])
    pub = _publish(make_penalty(case, decided_on=TODAY))
    data = client.get(f"/api/v1/public/penalties/{pub.pk}").json()
    entity = case.entity
    assert (data["party_name"], data["uscc"], data["legal_rep"]) == (entity.name, entity.uscc, entity.legal_rep)
    _assert_clean(str(data), entity.legal_rep_id_no, entity.phone)


@pytest.mark.parametrize("name, masked", [("张三明", "张*明"), ("张三", "张*"), ("欧阳娜娜", "欧**娜"), ("王", "王"),
                                          ("", "")])
def test_mask_name(name, masked):
    assert publication.mask_name(name) == masked


def test_scrub_catches_numbers_it_was_not_told_about():
    text = publication.scrub("证号110101199003074514，手机15900001111，座机0375-1234567；统一社会信用代码91410402MA44XK1L3R")
    assert "110101199003074514" not in text and "15900001111" not in text and "0375-1234567" not in text
    assert "91410402MA44XK1L3R" in text  # an entity's code is public
