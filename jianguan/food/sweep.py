"""Daily jobs of food safety supervision (``jianguan sweep``); idempotent."""

from __future__ import annotations

import datetime as dt

from jianguan.core.sweep import job

from . import services


@job(730, "food-expiries", "食品三小登记、明厨亮灶和示范店认定过有效期的，状态改为“已过期/已到期”；重算餐饮年度等级")
def expire(*, today: dt.date, stdout) -> dict[str, int]:
    out = {"smalls_expired": services.small_expire(actor="sweep", today=today),
           "designations_expired": services.designation_expire(actor="sweep", today=today)}
    # the 12-month window moves every day: inspections leaving it change annual grades (only changes are written)
    out.update(services.annual_compute(actor="sweep", as_of=today))
    return out


@job(731, "food-disposals", "不合格食品：已送达的不合格食品样品启动核查处置；逾期未启动或未完成召回的移送执法线索；"
                            "重算暂定期限")
def disposals(*, today: dt.date, stdout) -> dict[str, int]:
    return services.disposals_follow_up(today=today)
