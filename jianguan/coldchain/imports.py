"""The holder's own Excel file of movements (企业自主登记, on the portal): a cold store or wholesaler with many
movements a day uploads them at once instead of one form per movement.

The columns are the movement register's without the holder — the holder is the enterprise account's own entity.
A file that names a holder column (the staff template, or an export) must name that same entity on every row:
a holder never records another unit's stock. All or nothing through ``core.registers.import_rows``; every row goes
through ``services.movement_record`` (never entered, more out than held, a sealed batch: refused, row and column
named)."""

from __future__ import annotations

from jianguan.core.errors import ValidationFailed
from jianguan.core.registers import Column, Sheet
from jianguan.registry.models import Entity

from . import services
from .registers import MOVEMENTS

HOLDER = Column("holder", "持有单位统一社会信用代码", required=False, max_length=18,
                note="可不填；填写的须为本单位的统一社会信用代码")


def holder_sheet(entity: Entity) -> Sheet:
    """The import sheet of ``entity``'s own movements."""
    columns = tuple(HOLDER if c.name == "holder" else c for c in MOVEMENTS.columns)

    def create(*, actor, holder: str = "", **values):
        if holder and holder.strip().upper() != entity.uscc:
            raise ValidationFailed(f"持有单位应为本单位（{entity.uscc}），不能代其他单位登记", field="holder")
        return services.movement_record(actor=actor, holder=entity, **values)

    return Sheet(title=f"出入库记录（{entity.name}）", columns=columns, create=create,
                 description="本单位收到和发出的进口冷链食品，每行一次入库或出库。",
                 example=("CC2026120400001", entity.uscc, "入库", "500", "2026-12-02", "91410400MA44XXXX0X", ""))
