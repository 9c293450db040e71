"""Registration and inspection records refuse impossible input with a Chinese message naming the field."""

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.equipment import services
from jianguan.equipment.models import Device
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def _fields(exc) -> dict:
    return {d["field"]: d["message"] for d in exc.value.details}


def test_an_unknown_category_code_is_refused(org):
    with pytest.raises(ValidationFailed) as exc:
        lift(actor=supervisor(), category="3900")
    assert "不在特种设备目录中" in _fields(exc)["category"]


def test_pipeline_components_are_not_registered_as_devices(org):
    with pytest.raises(ValidationFailed) as exc:
        lift(actor=supervisor(), category="7000")
    assert "不是办理使用登记的设备类别" in _fields(exc)["category"]


def test_a_duplicate_device_code_is_refused(org):
    user = supervisor()
    first = lift(actor=user)
    with pytest.raises(ValidationFailed) as exc:
        lift(actor=user, code=first.code.lower())
    assert "已登记，不能重复登记" in _fields(exc)["code"]
    assert Device.objects.count() == 1


def test_a_lift_without_its_rated_load_is_refused(org):
    with pytest.raises(ValidationFailed) as exc:
        lift(actor=supervisor(), params={"rated_speed": "1.0"})
    assert _fields(exc)["rated_load"] == "曳引与强制驱动电梯须填写额定载重量"


def test_a_parameter_that_is_not_a_number_is_refused(org):
    with pytest.raises(ValidationFailed) as exc:
        lift(actor=supervisor(), params={"rated_load": "一吨", "rated_speed": "1.0"})
    assert "不是数字" in _fields(exc)["rated_load"]


def test_commissioning_in_the_future_is_refused(org):
    with pytest.raises(ValidationFailed) as exc:
        lift(actor=supervisor(), commissioned_on=TODAY + dt.timedelta(days=1))
    assert "晚于今天" in _fields(exc)["commissioned_on"]


def test_an_inspection_before_commissioning_is_refused(org):
    user = supervisor()
    device = lift(actor=user, commissioned_on=dt.date(2022, 5, 1))
    with pytest.raises(ValidationFailed) as exc:
        services.inspection_record(actor=user, device=device, kind="periodic", inspected_on=dt.date(2022, 4, 30),
                                   body="平顶山市特种设备检验所", conclusion="passed", today=TODAY)
    assert "早于投入使用日期" in _fields(exc)["inspected_on"]
    assert not device.inspections.exists()


def test_an_inspection_kind_that_does_not_fit_the_family_is_refused(org):
    user = supervisor()
    device = lift(actor=user)
    with pytest.raises(ValidationFailed) as exc:
        services.inspection_record(actor=user, device=device, kind="hydrostatic", inspected_on=dt.date(2025, 1, 5),
                                   body="检验所", conclusion="passed", today=TODAY)
    assert "检验种类应为" in _fields(exc)["kind"]


def test_a_scrapped_device_cannot_be_put_back_into_use(org):
    user = supervisor()
    device = lift(actor=user)
    services.device_change_status(actor=user, device=device, status="scrapped", on=dt.date(2026, 1, 1),
                                  reason="达到设计使用年限", today=TODAY)
    with pytest.raises(TransitionNotAllowed):
        services.device_change_status(actor=user, device=device, status="in_use", on=dt.date(2026, 2, 1),
                                      reason="误报废", today=TODAY)


def test_a_device_of_a_deregistered_entity_is_refused(org):
    entity = EntityFactory(status="deregistered")
    with pytest.raises(ValidationFailed) as exc:
        lift(actor=supervisor(), entity=entity)
    assert "不是存续状态" in _fields(exc)["entity"]
