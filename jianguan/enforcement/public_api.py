"""Public read-only API of penalty publication, mounted at /api/v1/public/penalties/ (no token).

Only the masked public snapshot of what is shown today. Keyset pagination: ``next_cursor`` encodes the last row's
(published_on, id) and is as fast deep in the list as on page one.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from decimal import Decimal

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema

from jianguan.core.errors import ValidationFailed

from . import publication
from .public_views import filtered

public_router = Router(tags=["penalties-public"])
MAX_LIMIT = 100


class PenaltyOut(Schema):
    id: int
    decision_no: str
    party_name: str
    uscc: str
    legal_rep: str
    authority: str
    case_type: str
    kinds: str
    fine_amount: Decimal
    confiscated_amount: Decimal
    facts: str
    legal_basis: str
    content: str
    decided_on: dt.date
    published_on: dt.date
    ends_on: dt.date


class PageOut(Schema):
    results: list[PenaltyOut]
    next_cursor: str | None


class Filters(Schema):
    q: str = ""
    authority: str = ""
    year: str = ""
    cursor: str = ""
    limit: int = 20


def _row(p) -> dict:
    return {"id": p.pk, "decision_no": p.decision_no, "party_name": p.party_name, "uscc": p.uscc,
            "legal_rep": p.legal_rep, "authority": p.authority_name, "case_type": p.case_type, "kinds": p.kinds,
            "fine_amount": p.fine_amount, "confiscated_amount": p.confiscated_amount, "facts": p.facts,
            "legal_basis": p.legal_basis, "content": p.content, "decided_on": p.decided_on,
            "published_on": p.published_on, "ends_on": p.ends_on}


def encode_cursor(published_on: dt.date, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{published_on.isoformat()}|{pk}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[dt.date, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        day, pk = raw.split("|")
        return dt.date.fromisoformat(day), int(pk)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise ValidationFailed("分页游标无效", field="cursor") from None


@public_router.get("/", response=PageOut, auth=None, summary="公示期内的行政处罚信息（按公示日期倒序）")
def penalties(request: HttpRequest, filters: Query[Filters]):
    limit = max(1, min(filters.limit, MAX_LIMIT))
    qs = filtered(filters.dict()).order_by("-published_on", "-id")
    if filters.cursor:
        day, pk = decode_cursor(filters.cursor)
        qs = qs.filter(Q(published_on__lt=day) | Q(published_on=day, id__lt=pk))
    rows = list(qs[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    return {"results": [_row(p) for p in rows],
            "next_cursor": encode_cursor(rows[-1].published_on, rows[-1].pk) if more else None}


@public_router.get("/{pk}", response=PenaltyOut, auth=None, summary="一条公示的行政处罚信息")
def penalty(request: HttpRequest, pk: int):
    return _row(get_object_or_404(publication.shown(), pk=pk))
