"""The device register imports all or nothing, with the row and column of each problem; an exported file imports
back; the schedule of imported devices is computed from the inspection the file carries."""

import datetime as dt
import io

import pytest
from openpyxl import Workbook, load_workbook

from jianguan.equipment import importer
from jianguan.equipment.models import Device
from jianguan.registry.tests.factories import EntityFactory

from .factories import lift, supervisor

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 12, 4)
HEAD = ["设备代码", "设备类别代码", "使用单位统一社会信用代码", "设备使用地点", "投入使用日期", "额定载重量（kg）",
        "额定速度（m/s）", "上次检验日期", "上次检验种类", "上次检验结论", "检验机构"]


def _book(rows) -> io.BytesIO:
    wb = Workbook()
    ws = wb.active
    ws.title = "特种设备"
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    return out


def _row(code, uscc, **kw):
    base = {"code": code, "cat": "3100", "uscc": uscc, "loc": "平顶山市新华区建设路1号", "com": "2020-03-10",
            "load": 1000, "speed": 1.5, "ins": "2026-03-01", "kind": "定期检验", "concl": "合格", "body": "检验所"}
    base.update(kw)
    return list(base.values())


def test_a_good_file_registers_every_device_with_its_schedule(org):
    user = supervisor()
    e = EntityFactory()
    result = importer.import_devices(_book([_row("31004104020200001", e.uscc), _row("31004104020200002", e.uscc)]),
                                     actor=user, today=TODAY)
    assert result.ok and result.written == 2
    d = Device.objects.get(code="31004104020200001")
    assert d.next_due == dt.date(2027, 3, 1) and d.last_conclusion == "passed"
    assert d.params == {"rated_load": 1000, "rated_speed": "1.5"}


def test_one_bad_row_and_nothing_is_written_each_problem_named_by_row_and_column(org):
    user = supervisor()
    e = EntityFactory()
    existing = lift(actor=user)
    rows = [
        _row("31004104020200001", e.uscc),
        _row("31004104020200002", e.uscc, cat="3900"),
        _row("31004104020200001", e.uscc),
        _row(existing.code, e.uscc),
        _row("31004104020200005", e.uscc, ins="2019-01-01"),
        _row("31004104020200006", "91410400MA00000000"),
        _row("31004104020200007", e.uscc, speed="快"),
    ]
    result = importer.import_devices(_book(rows), actor=user, today=TODAY)
    assert not result.ok and Device.objects.count() == 1
    by_row = {(p["row"], p["letter"]): p["message"] for p in result.problems}
    assert "不在特种设备目录中" in by_row[(3, "B")]
    assert "与第 2 行重复" in by_row[(4, "A")]
    assert "已登记" in by_row[(5, "A")]
    assert "早于投入使用日期" in by_row[(6, "H")]
    assert "管辖范围" in by_row[(7, "C")]
    assert "不是数字" in by_row[(8, "G")]


def test_an_unknown_or_missing_column_stops_the_import(org):
    user = supervisor()
    wb = Workbook()
    wb.active.append(["设备代码", "类别", "投入使用日期"])
    out = io.BytesIO()
    wb.save(out)
    out.seek(0)
    result = importer.import_devices(out, actor=user, today=TODAY)
    messages = [p["message"] for p in result.problems]
    assert "未知的列「类别」" in messages and "缺少必填列「设备使用地点」" in messages


def test_a_file_that_is_not_a_workbook_is_refused(org):
    with pytest.raises(importer.FileRefused):
        importer.import_devices(io.BytesIO(b"not a workbook"), actor=supervisor(), today=TODAY)


def test_an_exported_register_imports_back(org):
    user = supervisor()
    d = lift(actor=user, today=TODAY)
    data = importer.export_devices(Device.objects.all())
    Device.objects.all().delete()
    result = importer.import_devices(io.BytesIO(data), actor=user, today=TODAY)
    assert result.ok, result.problems
    again = Device.objects.get(code=d.code)
    assert (again.category, again.params, again.next_due) == (d.category, d.params, d.next_due)


def test_the_import_page_shows_the_problems_and_the_export_is_a_workbook(org, login):
    user = supervisor()
    client = login(user)
    f = _book([_row("31004104020200002", "91410400MA00000000", cat="3900")])
    f.name = "devices.xlsx"
    response = client.post("/workbench/equipment/import/", {"file": f})
    body = response.content.decode()
    assert response.status_code == 422 and "第2行" in body and "B列" in body
    export = client.get("/workbench/equipment/export.xlsx")
    assert export.status_code == 200
    assert load_workbook(io.BytesIO(export.content)).active["A1"].value == "设备代码"
