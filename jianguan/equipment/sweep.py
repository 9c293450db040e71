"""Daily job of special equipment: the schedules under the rules in force today (a bureau may have changed an
interval from an effective date). Idempotent: a second run changes nothing."""

from __future__ import annotations

from jianguan.core.sweep import job

from . import services


@job(500, "equipment-schedules", "按当日有效的规则重新计算特种设备下次检验日期和申报日期")
def schedules(*, today, stdout) -> dict:
    return services.recompute_schedules(today=today)


@job(501, "equipment-orders", "责令改正期满仍未改正（未申报检验且未停用）的超期未检设备移送执法线索")
def orders(*, today, stdout) -> dict:
    return services.orders_escalate(today=today)
