"""The movement register imports all or nothing: one bad row (an out larger than held) refuses the whole file and
names its row and column; a good file records every movement."""

import io

import pytest
from openpyxl import Workbook

from jianguan.coldchain.models import Movement
from jianguan.coldchain.registers import MOVEMENTS
from jianguan.core.registers import ImportRefused, import_rows
from jianguan.registry.tests.factories import EntityFactory

from .factories import batch, supervisor

pytestmark = pytest.mark.django_db
HEAD = ["追溯码", "持有单位统一社会信用代码", "方向", "数量", "日期", "来源/去向单位统一社会信用代码"]


def _xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEAD)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_a_file_with_one_out_larger_than_held_imports_nothing_and_names_row_and_column(org):
    actor = supervisor()
    b = batch(actor=actor, quantity="1000")
    store = EntityFactory()
    before = Movement.objects.count()
    data = _xlsx([
        [b.tracing_code, b.importer.uscc, "出库", 800, "2026-11-03", store.uscc],
        [b.tracing_code, store.uscc, "入库", 800, "2026-11-03", b.importer.uscc],
        [b.tracing_code, b.importer.uscc, "出库", 300, "2026-11-04", store.uscc],
        [b.tracing_code, store.uscc, "出库", "abc", "2026-11-04", ""],
    ])
    with pytest.raises(ImportRefused) as exc:
        import_rows(MOVEMENTS, actor=actor, data=data)
    errors = {(e["row"], e["column"]) for e in exc.value.details}
    assert (4, "数量") in errors and (5, "数量") in errors
    assert any("超过" in e["message"] for e in exc.value.details if e["row"] == 4)
    assert Movement.objects.count() == before


def test_a_good_file_records_every_movement(org):
    actor = supervisor()
    b = batch(actor=actor, quantity="1000")
    store = EntityFactory()
    report = import_rows(MOVEMENTS, actor=actor, data=_xlsx([
        [b.tracing_code, b.importer.uscc, "out", 800, "2026-11-03", store.uscc],
        [b.tracing_code, store.uscc, "in", 800, "2026-11-03", b.importer.uscc],
        [b.tracing_code, store.uscc, "出库", 800, "2026-11-05", ""],
    ]))
    assert report.created == 3
    assert Movement.objects.filter(batch=b).count() == 4


def test_an_unknown_tracing_code_is_named(org):
    actor = supervisor()
    with pytest.raises(ImportRefused) as exc:
        import_rows(MOVEMENTS, actor=actor, data=_xlsx([["CCNOPE", EntityFactory().uscc, "入库", 1, "2026-11-03", ""]]))
    assert exc.value.details[0]["column"] == "追溯码" and "CCNOPE" in exc.value.details[0]["message"]
