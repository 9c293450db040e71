"""The licences a business scope needs after registration (后置许可), and 一照通行: the low-risk ones a bureau grants
with the registration on the applicant's commitment (告知承诺), recorded as the entity's licences.

``match_scope`` is pure; the others read the rules ``startup.scope_permits`` and ``startup.commitment_permits`` and
the registry's licence kinds.
"""

from __future__ import annotations

import datetime as dt

from jianguan.core import sequences
from jianguan.core.rules import rule


def match_scope(scope: str, table: dict[str, str]) -> list[tuple[str, str]]:
    """The (expression, licence kind) pairs found in ``scope``, in the order they appear, one per kind. The longest
    expression is matched first and its text taken out, so 食品销售（仅销售预包装食品） does not also read as 食品销售."""
    text = scope or ""
    found: list[tuple[int, str, str]] = []
    for expr in sorted(table, key=len, reverse=True):
        start = text.find(expr)
        while start >= 0:
            found.append((start, expr, table[expr]))
            text = text[:start] + "\0" * len(expr) + text[start + len(expr):]
            start = text.find(expr)
    seen: set[str] = set()
    out = []
    for _pos, expr, kind in sorted(found):
        if kind not in seen:
            seen.add(kind)
            out.append((expr, kind))
    return out


def needed(scope: str, *, on: dt.date | None = None) -> list[dict]:
    """What the applicant must still obtain for ``scope``: [{code, name, expression, by_commitment, commitment}].
    A kind the registry does not know is left out (the rule names a code of 许可种类)."""
    from jianguan.registry.models import LicenceKind

    pairs = match_scope(scope, rule("startup.scope_permits", on=on))
    if not pairs:
        return []
    offered = rule("startup.commitment_permits", on=on)
    names = dict(LicenceKind.objects.filter(code__in=[k for _e, k in pairs]).values_list("code", "name"))
    return [
        {"code": kind, "name": names[kind], "expression": expr, "by_commitment": kind in offered,
         "commitment": (offered.get(kind) or {}).get("commitment", "")}
        for expr, kind in pairs if kind in names
    ]


def grant_on_commitment(*, app, entity, actor, on: dt.date) -> list:
    """Record, on the new entity, each licence the applicant committed to that the rule still offers and the scope
    still needs (inside the approval's transaction). Numbered 前缀 + 区划 + 年 + 6-digit sequence per kind."""
    from jianguan.registry import services as registry_services
    from jianguan.registry.models import Licence, LicenceKind

    chosen = set(app.commitment_permits or [])
    offered = rule("startup.commitment_permits", on=on)
    granted = []
    for item in needed(entity.business_scope, on=on):
        code = item["code"]
        if code not in chosen or code not in offered:
            continue
        if Licence.objects.filter(entity=entity, kind_id=code).exists():
            continue
        kind = LicenceKind.objects.get(pk=code)
        prefix = offered[code].get("prefix", "") or code[:2].upper()
        seq = sequences.next_value(f"startup:permit:{code}:{on.year}")
        valid_until = None
        if kind.validity_years:
            try:  # N years from the day of issue (民法典 第二百零二条), a 29 February counted to 28 February
                valid_until = on.replace(year=on.year + kind.validity_years) - dt.timedelta(days=1)
            except ValueError:
                valid_until = on.replace(year=on.year + kind.validity_years, day=28) - dt.timedelta(days=1)
        granted.append(registry_services.licence_add(
            actor=actor, entity=entity, kind=kind, number=f"{prefix}{entity.division_id}{on.year}{seq:06d}",
            issuer=entity.registration_authority.name, issued_on=on, valid_until=valid_until,
            scope=f"{item['expression']}（告知承诺）", by_commitment=True))
    return granted
