"""Masking of personal data (ID numbers, phones) for staff without ``registry.view_entity_personal``.

Staff see legal representatives' and operators' names in full; the public portal has its own, stricter rules.
"""

from __future__ import annotations

import re

PERSONAL_FIELDS = ("legal_rep_id_no", "phone")
PERSONAL_PERMISSION = "registry.view_entity_personal"


def mask_id_no(value: str) -> str:
    """``410402199001011234`` → ``410***********1234``: the region's first digits and the last four stay, enough
    to tell two people apart on the phone, not enough to use the number."""
    value = value or ""
    if "*" in value:  # already masked (history written since #14 keeps masked values)
        return value
    if len(value) <= 7:
        return "*" * len(value)
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``; other numbers keep only their last four digits."""
    value = value or ""
    if "*" in value:  # already masked
        return value
    if len(value) == 11 and value.isdigit():
        return value[:3] + "****" + value[-4:]
    if len(value) <= 4:
        return "*" * len(value)
    return "*" * (len(value) - 4) + value[-4:]


def mask_address(value: str) -> str:
    """``河南省平顶山市新华区建设路1号`` → ``河南省平顶山****``: the first six characters (province and city, or the
    district) stay, the street and number do not."""
    value = value or ""
    if value.endswith("****"):  # already masked
        return value
    return value[:6] + "****" if len(value) > 6 else "*" * len(value)


MASKERS = {"legal_rep_id_no": mask_id_no, "phone": mask_phone}


def mask_personal(field: str, value):
    """``value`` of an encrypted column named ``field`` masked by its kind: an ID number, a phone, else an address
    (or any other contact text: its first six characters)."""
    if value in (None, ""):
        return value
    value = str(value)
    phone_like = re.fullmatch(r"[\d\s()+\-]{7,}", value) is not None  # a contact that is a number
    mask = mask_id_no if "id_no" in field else mask_phone if "phone" in field or phone_like else mask_address
    return mask(value)


def redact_changes(changes: dict, maskers: dict | None = None) -> dict:
    """``changes`` ({field: [before, after]}) with the personal fields masked, for the JSON kept in clear in the
    history (``EntityChange.changes``) and the audit log: the values themselves are only in the encrypted columns
    (#14). Older rows written before this keep what they hold (the audit chain forbids rewriting them). ``maskers``
    ({field: mask function}) for another model's personal fields (default: the entity's)."""
    maskers = MASKERS if maskers is None else maskers
    if not any(field in changes for field in maskers):
        return changes
    out = dict(changes)
    for field, mask in maskers.items():
        if field in out:
            out[field] = [mask(str(v)) if v not in (None, "") else v for v in out[field]]
    return out


def can_see_personal(user) -> bool:
    return bool(user and user.has_perm(PERSONAL_PERMISSION))


def is_natural_person(entity) -> bool:
    """Whether a party named on a record is a natural person, whose address and ID number are personal data: no
    registered entity (an unlicensed stall, a person — as the filing form assumes), or an individual business
    (个体工商户, the enforcement's 自然人（含个体工商户）)."""
    from .models import EntityKind

    return entity is None or entity.kind == EntityKind.INDIVIDUAL


def shown_personal(user, obj, values: dict, *, unit=None, allowed: bool | None = None) -> tuple[dict, bool]:
    """``values`` ({field: value}, the personal fields of ``obj`` a page is about to show) as ``user`` may see them:
    in clear for staff with ``registry.view_entity_personal`` — a logged read (``audit.record_personal_read``, once
    an hour per reader and record) — masked by kind (``mask_personal``) for the others. ``allowed`` overrides the
    permission test where a record's own rule decides (a complaint's handler). Returns (values, masked);
    empty values are neither logged nor reported as masked. The one mechanism of the case, lead and complaint pages
    (#14)."""
    present = sorted(name for name, value in values.items() if value)
    if not present:
        return dict(values), False
    if can_see_personal(user) if allowed is None else allowed:
        from jianguan.core import audit

        audit.record_personal_read(actor=user, obj=obj, fields=present, unit=unit)
        return dict(values), False
    return {name: mask_personal(name, value) for name, value in values.items()}, True


def personal_value(user, field: str, value):
    """``value`` of personal ``field`` as ``user`` may see it."""
    if field not in MASKERS or value in (None, "") or can_see_personal(user):
        return value
    return MASKERS[field](str(value))
