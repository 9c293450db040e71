"""Daily job of certification and testing supervision: approvals and accreditations past their expiry stop being
valid licences, so the registry shows them as 过期 and double-random plans (which draw holders of a valid licence of
the kind) no longer count them as operating bodies."""

from __future__ import annotations

import datetime as dt

from jianguan.core.sweep import job


@job(720, "quality-accreditations-expired", "认证机构批准书、检验检测机构资质认定证书过期的，许可状态改为“过期”")
def expire_accreditations(*, today: dt.date, stdout) -> dict[str, int]:
    from jianguan.core import audit
    from jianguan.core.rules import rule
    from jianguan.registry.models import Licence, LicenceStatus

    kinds = [rule("quality.certification_body_licence_kind", on=today), rule("quality.testing_licence_kind", on=today)]
    lapsed = Licence.objects.filter(kind_id__in=kinds, status=LicenceStatus.VALID, valid_until__lt=today)
    numbers = list(lapsed.values_list("number", flat=True)[:200])
    count = lapsed.update(status=LicenceStatus.EXPIRED)
    if count:
        audit.record(actor="system", action="quality.accreditations.expired", object_type="registry.licence",
                     object_id=today.isoformat(), object_repr=f"{count} 张认证/资质认定证书过期",
                     changes={"numbers": [None, numbers], "count": [None, count]})
    return {"expired": count}
