"""A pharmacy must name a valid drug licence it holds in the registry, a use unit its practice-licence number; a
duplicate, a revoked licence, another entity's licence, a focus listing ending before it starts: each refused with
the field named, nothing written."""

import datetime as dt

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.drugs import services
from jianguan.drugs.models import FocusProduct, SupervisedObject
from jianguan.registry.tests.factories import EntityFactory

from .factories import pharmacy, supervisor

pytestmark = pytest.mark.django_db


def _refused(field, match, **kw):
    with pytest.raises(ValidationFailed, match=match) as exc:
        services.object_register(**kw)
    assert exc.value.field == field


def test_pharmacy_needs_its_own_valid_licence(org):
    actor = supervisor()
    firm, licence = pharmacy()
    other, other_licence = pharmacy()
    _refused("licence", "须填写许可证", actor=actor, entity=firm, kind="pharmacy")
    _refused("licence", "没有编号为", actor=actor, entity=firm, kind="pharmacy", licence=other_licence.number)
    licence.status = "revoked"
    licence.save()
    _refused("licence", "吊销", actor=actor, entity=firm, kind="pharmacy", licence=licence.number)
    assert not SupervisedObject.objects.exists()
    obj = services.object_register(actor=actor, entity=other, kind="pharmacy", licence=other_licence.number)
    assert obj.licence == other_licence and obj.unit_id == other.unit_id
    _refused("entity", "不能重复登记", actor=actor, entity=other, kind="pharmacy", licence=other_licence.number)


def test_use_unit_needs_its_practice_licence_number(org):
    actor = supervisor()
    hospital = EntityFactory(name="平顶山市测试医院有限公司")
    _refused("practice_licence_no", "执业许可证", actor=actor, entity=hospital, kind="hospital")
    obj = services.object_register(actor=actor, entity=hospital, kind="hospital", practice_licence_no="PDY41040200001")
    assert obj.licence is None and obj.get_kind_display() == "医疗机构（医院）"


def test_a_station_registers_only_its_own_entities(org):
    from jianguan.core.tests.factories import staff

    station = staff("yp_station", "41040301", ["drug_supervisor"], name="卫东区所")
    firm, licence = pharmacy()  # supervised by 新华区西高皇所
    _refused("entity", "不在本单位监管范围内", actor=station, entity=firm, kind="pharmacy", licence=licence.number)


def test_focus_listing_checks_its_dates_and_duplicates(org):
    actor = supervisor()
    holder = EntityFactory()
    kw = dict(actor=actor, category="implant", product="髋关节假体", approval_no="国械注准20213130001", holder=holder)
    with pytest.raises(ValidationFailed, match="移出日期不能早于列入日期"):
        services.focus_add(**kw, listed_on=dt.date(2026, 3, 1), until=dt.date(2026, 2, 1))
    services.focus_add(**kw, listed_on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationFailed, match="已在重点品种名单中"):
        services.focus_add(**kw, listed_on=dt.date(2026, 4, 1))
    assert FocusProduct.objects.count() == 1
