"""Query plans for tests that check a list page reads an index in its own order (PostgreSQL)."""

from django.db import connection, transaction


def plan_without_sorting(sql: str) -> str:
    """``EXPLAIN`` of ``sql`` with sorting and sequential scans priced out of reach, rolled back: if an index gives the
    query's order, the plan reads it and has no Sort node (an index in another order would leave a Sort)."""
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL enable_sort = off")
        cur.execute("SET LOCAL enable_seqscan = off")
        cur.execute("EXPLAIN " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


def page_query(queries, prefix: str) -> str:
    """The one captured statement starting with ``prefix`` that has an ORDER BY: a list page's own query."""
    (sql,) = [q["sql"] for q in queries if q["sql"].startswith(prefix) and "ORDER BY" in q["sql"]]
    return sql
