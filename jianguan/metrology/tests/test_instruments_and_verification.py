"""Instruments under compulsory verification: registration refuses bad input, each verification moves the next
due date by the kind's interval (a failed one makes it due at once), due/overdue lists keep to the scope, the API
and the campaign progress, the demo."""

import datetime as dt
import io

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.core.models import OrgUnit
from jianguan.core.tests.factories import staff
from jianguan.metrology import services
from jianguan.registry.tests.factories import EntityFactory

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)


def _officer():
    return staff("jl_t", "410400JL", ["metrology_supervisor"], name="计量监管员")


def _dispenser(user, serial="JYJ-0001", unit="41040201", commissioned=dt.date(2025, 1, 10)):
    owner = EntityFactory(unit=OrgUnit.objects.get(code=unit))
    return services.instrument_register(actor=user, serial=serial, kind="fuel_dispenser", owner=owner,
                                        location="建设路加油站 3 号枪", commissioned_on=commissioned, today=TODAY)


def test_a_new_instrument_is_due_for_its_first_verification_at_once(org):
    instrument = _dispenser(_officer())
    assert instrument.next_due == dt.date(2025, 1, 10)


def test_verification_moves_the_due_date_by_the_kinds_interval_and_failure_makes_it_due(org):
    user = _officer()
    instrument = _dispenser(user)
    services.verification_record(actor=user, instrument=instrument, verified_on=dt.date(2026, 8, 31), body="计量所",
                                 certificate_no="JD-1", conclusion="passed", today=TODAY)
    again = services.verification_record(actor=user, instrument=instrument, verified_on=dt.date(2026, 8, 31),
                                         body="计量所", certificate_no="JD-1", conclusion="passed", today=TODAY)
    instrument.refresh_from_db()
    assert instrument.next_due == dt.date(2027, 2, 28) and again.next_due == dt.date(2027, 2, 28)
    services.verification_record(actor=user, instrument=instrument, verified_on=dt.date(2026, 11, 2), body="计量所",
                                 certificate_no="JD-2", conclusion="failed", today=TODAY)
    instrument.refresh_from_db()
    assert instrument.next_due == dt.date(2026, 11, 2) and instrument.last_conclusion == "failed"


def test_bad_input_is_refused_with_the_field_named(org):
    user = _officer()
    _dispenser(user)
    owner = EntityFactory()
    with pytest.raises(ValidationFailed) as exc:
        services.instrument_register(actor=user, serial="jyj-0001", kind="ruler", owner=owner, location="",
                                     commissioned_on=TODAY + dt.timedelta(days=1), today=TODAY)
    fields = {d["field"]: d["message"] for d in exc.value.details}
    assert "已登记" in fields["serial"] and "不在强制检定目录中" in fields["kind"]
    assert "晚于今天" in fields["commissioned_on"] and fields["location"] == "请填写使用地点"
    instrument = _dispenser(user, serial="JYJ-0002")
    with pytest.raises(ValidationFailed) as exc:
        services.verification_record(actor=user, instrument=instrument, verified_on=TODAY + dt.timedelta(days=2),
                                     body="", certificate_no="", conclusion="ok", today=TODAY)
    assert {d["field"] for d in exc.value.details} == {"verified_on", "body", "certificate_no", "conclusion"}


def test_the_overdue_list_keeps_to_the_scope_and_the_api_records_a_verification(org, login):
    user = _officer()
    xh = _dispenser(user, "JYJ-XH")
    wd = _dispenser(user, "JYJ-WD", unit="41040301")
    head = staff("xh_head_t", "410402", ["department_head"])
    body = login(head).get("/workbench/metrology/?due=overdue").content.decode()
    assert xh.serial in body and wd.serial not in body
    assert login(head).get(f"/workbench/metrology/{wd.pk}/").status_code == 404
    client = login(user)
    r = client.post(f"/api/v1/metrology/instruments/{xh.pk}/verifications",
                    {"verified_on": "2026-11-30", "body": "计量所", "certificate_no": "JD-9", "conclusion": "passed"},
                    content_type="application/json")
    assert r.status_code == 201 and r.json()["next_due"] == "2027-05-30"
    assert [i["serial"] for i in client.get("/api/v1/metrology/instruments?due=overdue").json()] == [wd.serial]
    assert 'data-testid="metrology-due"' in client.get("/workbench/").content.decode()


def test_a_campaign_shows_its_progress_and_the_demo_is_idempotent(org, login):
    from jianguan.metrology.demo import demo_metrology
    from jianguan.metrology.models import Instrument
    from jianguan.metrology.rules import KINDS

    user = _officer()
    for _ in range(5):
        EntityFactory()
    demo_metrology(today=TODAY, stdout=io.StringIO())
    count = Instrument.objects.count()
    assert count == 1200 and Instrument.objects.filter(next_due__lt=TODAY).exists()
    demo_metrology(today=TODAY, stdout=io.StringIO())
    assert Instrument.objects.count() == count
    body = login(user).get("/workbench/metrology/campaigns/").content.decode()
    assert "加油站计量专项检查" in body and "超期未检" in body
    # every kind is in the demo, so each campaign has instruments to count
    assert set(Instrument.objects.values_list("kind", flat=True)) == set(KINDS)


def test_the_register_imports_all_or_nothing_and_an_export_imports_back(org, login):
    from openpyxl import Workbook

    from jianguan.metrology import importer
    from jianguan.metrology.models import Instrument

    user = _officer()
    owner = EntityFactory()
    wb = Workbook()
    ws = wb.active
    ws.title = "计量器具"
    ws.append([h for h, _k, _r in importer.COLUMNS])
    ws.append(["JJ-1", "燃油加油机", "", owner.uscc, "加油站 1 号枪", "2025-01-01", "2026-09-01", "JD-1", "合格", "计量所"])
    ws.append(["JJ-1", "燃油加油机", "", owner.uscc, "加油站 2 号枪", "2025-01-01", "", "", "", ""])
    ws.append(["JJ-3", "直尺", "", owner.uscc, "柜台", "2025-01-01", "2024-01-01", "", "合格", ""])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = importer.import_instruments(out, actor=user, today=TODAY)
    problems = {(p["row"], p["letter"]): p["message"] for p in result.problems}
    assert not result.ok and Instrument.objects.count() == 0
    assert "与第 2 行重复" in problems[(3, "A")] and "器具种类应为" in problems[(4, "B")]
    assert "早于启用日期" in problems[(4, "G")] and "检定证书编号" in problems[(4, "H")]
    for row in (4, 3):
        ws.delete_rows(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = importer.import_instruments(out, actor=user, today=TODAY)
    assert result.ok and result.written == 1
    assert Instrument.objects.get(serial="JJ-1").next_due == dt.date(2027, 3, 1)
    data = login(user).get("/workbench/metrology/export.xlsx").content
    Instrument.objects.all().delete()
    assert importer.import_instruments(io.BytesIO(data), actor=user, today=TODAY).written == 1
