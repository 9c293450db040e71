"""Demo of online trading monitoring: the online shops of some of the city's enterprises (the register only —
monitoring findings are real captures taken by an officer, never demo data). Set-based, one audit entry,
idempotent."""

from __future__ import annotations

import datetime as dt

from jianguan.core.demo import bulk_add, step
from jianguan.registry.models import ENTERPRISE_KINDS, Entity, EntityStatus

from .models import OnlineShop, Platform

PLATFORMS = [Platform.TAOBAO, Platform.JD, Platform.PDD, Platform.DOUYIN, Platform.MEITUAN, Platform.OWN_SITE]
SUFFIX = {Platform.TAOBAO: "旗舰店", Platform.JD: "专营店", Platform.PDD: "官方店", Platform.DOUYIN: "直播间",
          Platform.MEITUAN: "外卖店", Platform.OWN_SITE: "官网"}


@step(75, "网络交易监管")
def demo_monitoring(*, today: dt.date, stdout) -> dict:
    if OnlineShop.objects.exists():
        return {"skipped": True}
    entities = Entity.objects.filter(status=EntityStatus.ACTIVE, kind__in=ENTERPRISE_KINDS).order_by("id")[:60]
    shops = []
    for i, e in enumerate(entities):
        platform = PLATFORMS[i % len(PLATFORMS)]
        shops.append(OnlineShop(platform=platform, shop_name=f"{e.name[:20]}{SUFFIX[platform]}",
                                url=f"https://shop{e.pk}.{platform}.example.cn/", entity=e,
                                licence_displayed=i % 5 != 0, unit_id=e.unit_id))
    bulk_add(shops, action="monitoring.demo.shops_loaded")
    return {"shops": len(shops)}
