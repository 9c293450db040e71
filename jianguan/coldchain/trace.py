"""The trace of one batch: every holder reached upstream and downstream of where the problem was found, in one
recursive CTE over the batch's movements (indexed by batch, holder and counterparty), plus the batch's other holders.

A movement out of A to B and a movement into B from A are the same edge A→B, whichever side recorded it.
"""

from __future__ import annotations

from django.db import connection

from .models import Direction, Movement, Place

SQL = """
WITH RECURSIVE edges(src, dst) AS (
    SELECT holder_id, counterparty_id FROM {t} WHERE batch_id = %(b)s AND direction = 'out'
        AND counterparty_id IS NOT NULL
    UNION
    SELECT counterparty_id, holder_id FROM {t} WHERE batch_id = %(b)s AND direction = 'in'
        AND counterparty_id IS NOT NULL
),
down(node, hops) AS (
    SELECT CAST(%(o)s AS BIGINT), 0
    UNION
    SELECT e.dst, d.hops + 1 FROM down d JOIN edges e ON e.src = d.node WHERE d.hops < %(max)s
),
up(node, hops) AS (
    SELECT CAST(%(o)s AS BIGINT), 0
    UNION
    SELECT e.src, u.hops + 1 FROM up u JOIN edges e ON e.dst = u.node WHERE u.hops < %(max)s
)
SELECT node, 'down', MIN(hops) FROM down WHERE node <> %(o)s GROUP BY node
UNION ALL
SELECT node, 'up', MIN(hops) FROM up WHERE node <> %(o)s GROUP BY node
UNION ALL
SELECT holder_id, 'same', NULL FROM {t} WHERE batch_id = %(b)s GROUP BY holder_id
"""


def holders(batch_id: int, origin_id: int, *, max_depth: int = 50) -> list[tuple[int, str, int | None]]:
    """[(entity id, place, hops)] for every holder of the batch: the origin, then upstream and downstream by hops,
    then any other holder of the batch not connected to the origin by recorded movements."""
    with connection.cursor() as cur:
        cur.execute(SQL.format(t=Movement._meta.db_table), {"b": batch_id, "o": origin_id, "max": max_depth})
        rows = cur.fetchall()
    seen: dict[int, tuple[str, int | None]] = {origin_id: (Place.ORIGIN, 0)}
    # an entity both upstream and downstream (a loop in the records) is listed once, on the side nearer the origin
    for node, place, hops in sorted((r for r in rows if r[1] != "same"), key=lambda r: r[2]):
        seen.setdefault(node, (place, hops))
    for node, _place, _hops in rows:
        if _place == "same":
            seen.setdefault(node, (Place.SAME, None))
    return [(node, place, hops) for node, (place, hops) in seen.items()]


def holders_naive(batch_id: int, origin_id: int) -> set[int]:
    """The baseline for the benchmark: a breadth-first walk asking the database once per holder and direction."""
    found = {origin_id}
    for forward in (True, False):
        frontier = [origin_id]
        seen = {origin_id}
        while frontier:
            node = frontier.pop()
            qs = Movement.objects.filter(batch_id=batch_id)
            if forward:
                nxt = [*qs.filter(holder_id=node, direction=Direction.OUT, counterparty__isnull=False)
                       .values_list("counterparty_id", flat=True),
                       *qs.filter(counterparty_id=node, direction=Direction.IN).values_list("holder_id", flat=True)]
            else:
                nxt = [*qs.filter(counterparty_id=node, direction=Direction.OUT).values_list("holder_id", flat=True),
                       *qs.filter(holder_id=node, direction=Direction.IN, counterparty__isnull=False)
                       .values_list("counterparty_id", flat=True)]
            for n in nxt:
                if n not in seen:
                    seen.add(n)
                    frontier.append(n)
        found |= seen
    found |= set(Movement.objects.filter(batch_id=batch_id).values_list("holder_id", flat=True))
    return found
