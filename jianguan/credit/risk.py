"""Credit risk classes A/B/C/D: a transparent, set-based scoring model.

The model is a list of indicators. Each indicator is data — a code, a Chinese label, and a query — and its points
are configuration (rule ``credit.risk.weights``, with an effective date); the class follows from the total score
and the thresholds of rule ``credit.risk.thresholds``. An entity's ``EntityRisk.reasons`` lists every indicator
that scored, so staff see "D: 列入经营异常名录 +30; 近三年行政处罚 2 次 +25 …".

Registering an indicator (other apps do this from their ``AppConfig.ready``)::

    from jianguan.credit.risk import register_indicator

    def penalties_3y(ctx):
        # one row per entity that scores: (entity_id, points, detail)
        return (
            "SELECT p.entity_id, LEAST(COUNT(*), 3) * %s, CAST(COUNT(*) AS VARCHAR(10)) || ' 次' "
            "FROM enforcement_penalty p WHERE p.decided_on >= %s GROUP BY p.entity_id",
            [ctx.points, ctx.years_ago(3)],
        )

    register_indicator("penalties_3y", "近三年行政处罚", penalties_3y)

The query is either ``(sql, params)`` — portable SQL (SQLite and PostgreSQL) selecting exactly three columns,
entity id, points, detail text — or a Django QuerySet ending in ``.values_list(<entity id>, <points>, <detail>)``.
It must return at most one row per entity and be set-based: it is run once for all entities, never per entity.
``ctx`` carries ``on`` (the date classified), ``points`` (the configured weight of this indicator), ``closed_year``
(the latest report year whose filing window has closed) and ``entity_ids`` (None for a full run; a list when only
some entities are recomputed — an indicator may use it to narrow its query, the engine filters anyway).
An indicator whose weight is 0 is skipped.

A full recompute runs each indicator once (INSERT … SELECT into a temporary table), aggregates per entity with
GROUP BY, takes the difference from the stored classes with one join, writes only those rows of ``EntityRisk`` with one
INSERT … ON CONFLICT DO UPDATE (PostgreSQL; SQLite ≥ 3.24 accepts the same statement), and appends
``EntityRiskHistory`` rows only for entities whose class changed. No Python loop over entities.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connection, transaction
from django.db.models import QuerySet
from django.utils import timezone

from jianguan.core.rules import rule

from . import periods


@dataclass(frozen=True)
class RiskIndicator:
    code: str
    label: str
    query: Callable[[Context], tuple[str, Sequence] | QuerySet]
    description: str = ""


@dataclass
class Context:
    on: dt.date
    points: int
    closed_year: int
    entity_ids: list[int] | None = None
    params: dict = field(default_factory=dict)

    def months_ago(self, months: int) -> dt.date:
        return months_before(self.on, months)

    def years_ago(self, years: int) -> dt.date:
        return months_before(self.on, 12 * years)

    def entity_filter(self, column: str) -> tuple[str, list]:
        """An ``AND column IN (…)`` fragment narrowing the query to ``entity_ids`` (empty for a full run)."""
        if self.entity_ids is None:
            return "", []
        if not self.entity_ids:
            return " AND 1 = 0", []
        return f" AND {column} IN ({', '.join(['%s'] * len(self.entity_ids))})", list(self.entity_ids)


INDICATORS: dict[str, RiskIndicator] = {}


def register_indicator(code: str, label: str, query: Callable[[Context], tuple[str, Sequence] | QuerySet], *,
                       description: str = "") -> RiskIndicator:
    """Add (or replace) indicator ``code``. Its points come from rule ``credit.risk.weights[code]`` (0 = off)."""
    ind = RiskIndicator(code, label, query, description)
    INDICATORS[code] = ind
    return ind


def months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, min(d, day.day))
        except ValueError:
            continue
    raise ValueError(day)


def weights(on: dt.date) -> dict[str, int]:
    return {k: int(v) for k, v in rule("credit.risk.weights", on=on).items()}


def class_for(score: int, on: dt.date) -> str:
    t = rule("credit.risk.thresholds", on=on)
    if score >= t["D"]:
        return "D"
    if score >= t["C"]:
        return "C"
    if score >= t["B"]:
        return "B"
    return "A"


def reason_line(reason: dict) -> str:
    detail = f" {reason['detail']}" if reason.get("detail") else ""
    return f"{reason['label']}{detail} +{reason['points']}"


def reasons_text(risk_class: str, reasons: Iterable[dict]) -> str:
    ordered = sorted(reasons, key=lambda r: (-int(r["points"]), r["code"]))
    if not ordered:
        return f"{risk_class}: 无风险计分项"
    return f"{risk_class}: " + "; ".join(reason_line(r) for r in ordered)


# --- built-in indicators (data that exists now) ---------------------------------------------------------------------

ACTIVE = "e.status = 'active'"


def _new_entity(ctx: Context):
    where, params = ctx.entity_filter("e.id")
    cutoff = ctx.months_ago(int(rule("credit.risk.new_entity_months", on=ctx.on)))
    return (f"SELECT e.id, %s, '' FROM registry_entity e WHERE {ACTIVE} AND e.established_on > %s{where}",
            [ctx.points, cutoff, *params])


def _report_missing(ctx: Context):
    year = ctx.closed_year
    kinds = list(rule("credit.report.required_kinds", on=dt.date(year + 1, 1, 1)))
    offset = int(rule("credit.report.first_year_offset", on=dt.date(year + 1, 1, 1)))
    # first_report_year(established_on) <= year  ⇔  established_on < 1 January of (year − offset + 1)
    established_before = dt.date(year - offset + 1, 1, 1)
    where, params = ctx.entity_filter("e.id")
    return (
        f"SELECT e.id, %s, %s FROM registry_entity e WHERE {ACTIVE} "
        f"AND e.kind IN ({', '.join(['%s'] * len(kinds))}) AND e.established_on < %s "
        "AND NOT EXISTS (SELECT 1 FROM credit_annualreport r WHERE r.entity_id = e.id AND r.year = %s "
        f"AND r.is_current = %s){where}",
        [ctx.points, f"{year} 年度", *kinds, established_before, year, True, *params],
    )


def _report_late(ctx: Context):
    where, params = ctx.entity_filter("r.entity_id")
    return (
        "SELECT r.entity_id, %s, %s FROM credit_annualreport r JOIN registry_entity e ON e.id = r.entity_id "
        f"WHERE {ACTIVE} AND r.year = %s AND r.is_current = %s AND r.late = %s{where}",
        [ctx.points, f"{ctx.closed_year} 年度", ctx.closed_year, True, True, *params],
    )


def _listed(kinds: tuple[str, ...]):
    def query(ctx: Context):
        where, params = ctx.entity_filter("l.entity_id")
        return (
            "SELECT l.entity_id, %s, '' FROM credit_listentry l JOIN registry_entity e ON e.id = l.entity_id "
            f"WHERE {ACTIVE} AND l.status = 'active' AND l.list_kind IN ({', '.join(['%s'] * len(kinds))}){where} "
            "GROUP BY l.entity_id",
            [ctx.points, *kinds, *params],
        )

    return query


def _high_risk_licence(ctx: Context):
    where, params = ctx.entity_filter("l.entity_id")
    return (
        "SELECT l.entity_id, %s, MIN(k.name) FROM registry_licence l "
        "JOIN registry_licencekind k ON k.code = l.kind_id JOIN registry_entity e ON e.id = l.entity_id "
        f"WHERE {ACTIVE} AND k.high_risk = %s AND l.status = 'valid' "
        f"AND (l.valid_until IS NULL OR l.valid_until >= %s){where} GROUP BY l.entity_id",
        [ctx.points, True, ctx.on, *params],
    )


def _all_zero(ctx: Context):
    where, params = ctx.entity_filter("r.entity_id")
    return (
        "SELECT r.entity_id, %s, %s FROM credit_annualreport r JOIN registry_entity e ON e.id = r.entity_id "
        f"WHERE {ACTIVE} AND r.year = %s AND r.is_current = %s AND r.financials_all_zero = %s{where}",
        [ctx.points, f"{ctx.closed_year} 年度", ctx.closed_year, True, True, *params],
    )


def normalised_address_sql(column: str) -> str:
    """The address with ASCII and full-width spaces removed: 'XX路 1号' and 'XX路1号' are one place."""
    return f"REPLACE(REPLACE(TRIM({column}), ' ', ''), '\u3000', '')"


def _shared_address(ctx: Context):
    minimum = int(rule("credit.risk.shared_address_min", on=ctx.on))
    norm_e, norm_x = normalised_address_sql("e.address"), normalised_address_sql("x.address")
    narrow, narrow_params = "", []
    if ctx.entity_ids is not None:
        # only the addresses of the entities being recomputed need counting
        sub_where, narrow_params = ctx.entity_filter("y.id")
        narrow = (f" AND {norm_x} IN (SELECT {normalised_address_sql('y.address')} FROM registry_entity y "
                  f"WHERE 1 = 1{sub_where})")
    where, params = ctx.entity_filter("e.id")
    return (
        f"SELECT e.id, %s, '共 ' || CAST(a.n AS VARCHAR(12)) || ' 户' FROM registry_entity e "
        f"JOIN (SELECT {norm_x} AS addr, COUNT(*) AS n FROM registry_entity x WHERE x.status = 'active'{narrow} "
        f"GROUP BY {norm_x} HAVING COUNT(*) >= %s) a ON a.addr = {norm_e} WHERE {ACTIVE}{where}",
        [ctx.points, *narrow_params, minimum, *params],
    )


register_indicator("new_entity", "成立不满一年", _new_entity)
register_indicator("report_missing", "未按时报送年度报告", _report_missing)
register_indicator("report_late", "逾期补报年度报告", _report_late)
register_indicator("abnormal_list", "列入经营异常名录", _listed(("abnormal", "abnormal_status")))
register_indicator("serious_list", "列入严重违法失信名单", _listed(("serious",)))
register_indicator("high_risk_licence", "持有高风险许可", _high_risk_licence,
                   description="食品、药品、特种设备等高风险许可（许可种类「高风险许可」）")
register_indicator("all_zero_financials", "年报财务数据全为零", _all_zero)
register_indicator("shared_address", "一址多照", _shared_address,
                   description="同一登记地址（去空格后相同）的存续主体达到规则 credit.risk.shared_address_min 户")


# --- the engine -----------------------------------------------------------------------------------------------------

FACTORS = "credit_tmp_factor"
STAGED = "credit_tmp_risk"
CHANGED = "credit_tmp_risk_changed"


@dataclass
class Result:
    entities: int = 0
    written: int = 0
    class_changed: int = 0
    removed: int = 0
    factors: int = 0

    def as_counts(self) -> dict[str, int]:
        return {"classified": self.entities, "updated": self.written, "class_changed": self.class_changed,
                "dropped": self.removed}


def _sql(query) -> tuple[str, Sequence]:
    if isinstance(query, QuerySet):
        sql, params = query.query.sql_with_params()
        return sql, params
    return query


def _adapt(params: Iterable) -> list:
    ops = connection.ops
    out = []
    for p in params:
        if isinstance(p, dt.datetime):
            out.append(ops.adapt_datetimefield_value(p))
        elif isinstance(p, dt.date):
            out.append(ops.adapt_datefield_value(p))
        else:
            out.append(p)
    return out


def _reasons_aggregate() -> tuple[str, str]:
    """(SQL of the per-entity reasons array, SQL of an empty array) for this database."""
    if connection.vendor == "postgresql":
        return ("json_agg(json_build_object('code', code, 'label', label, 'points', points, 'detail', detail) "
                "ORDER BY points DESC, code)::jsonb", "'[]'::jsonb")
    return ("json_group_array(json_object('code', code, 'label', label, 'points', points, 'detail', detail))",
            "'[]'")


def _factor_source() -> str:
    if connection.vendor == "postgresql":
        return FACTORS
    # SQLite aggregates in the order rows arrive: feed them sorted so the reasons come out in a stable order.
    return f"(SELECT * FROM {FACTORS} ORDER BY entity_id, points DESC, code)"


def recompute(*, entity_ids: Iterable[int] | None = None, on: dt.date | None = None,
              classify: Callable | None = None) -> Result:
    """Recompute the risk class of every active entity (or only ``entity_ids``) as of ``on``. Set-based.

    ``classify``: another engine for the step from the indicators' rows to each entity's score, class and reasons
    (``risk_dask.Classifier``: Parquet parts scored on a Dask cluster). It is called as
    ``classify(cursor, table, thresholds, entity_filter)`` once the rows are in ``credit_tmp_factor`` and must create
    the temporary table ``table`` (entity_id, score, risk_class, reasons) exactly as the SQL below does; the
    writes that follow are the same for both engines."""
    on = on or timezone.localdate()
    ids = None if entity_ids is None else sorted({int(i) for i in entity_ids})
    result = Result()
    w = weights(on)
    t = rule("credit.risk.thresholds", on=on)
    closed = periods.closed_year(on)
    now = timezone.now()
    with transaction.atomic(), connection.cursor() as cur:
        if ids is None and connection.vendor == "postgresql":
            # the whole register's factors grouped by entity and joined to the stored classes: in the server's
            # usual work_mem (64 MB) both spill to disk at 10,000,000 entities
            mb = int(rule("credit.risk_work_mem_mb", on=on) or 0)
            if mb > 0:
                cur.execute(f"SET LOCAL work_mem = '{mb}MB'")
        cur.execute(f"DROP TABLE IF EXISTS {FACTORS}")
        cur.execute(f"DROP TABLE IF EXISTS {STAGED}")
        cur.execute(f"CREATE TEMPORARY TABLE {FACTORS} (entity_id BIGINT NOT NULL, points INTEGER NOT NULL, "
                    "detail VARCHAR(200) NOT NULL, code VARCHAR(40) NOT NULL, label VARCHAR(100) NOT NULL)")
        for code, ind in INDICATORS.items():
            points = w.get(code, 0)
            if not points:
                continue
            ctx = Context(on=on, points=points, closed_year=closed, entity_ids=ids)
            sql, params = _sql(ind.query(ctx))
            cur.execute(f"INSERT INTO {FACTORS} (entity_id, points, detail, code, label) "
                        f"SELECT q.*, %s, %s FROM ({sql}) q", _adapt([code, ind.label, *params]))
        id_filter, id_params = Context(on, 0, closed, ids).entity_filter("entity_id")
        if ids is not None:
            cur.execute(f"DELETE FROM {FACTORS} WHERE 1 = 1 AND NOT ({id_filter[5:]})", id_params)
        cur.execute(f"DELETE FROM {FACTORS} WHERE points = 0")
        agg, empty = _reasons_aggregate()
        e_filter, e_params = Context(on, 0, closed, ids).entity_filter("e.id")
        if classify is not None:
            classify(cur, STAGED, {key: int(t[key]) for key in ("B", "C", "D")}, (e_filter, e_params))
        else:
            cur.execute(
                f"CREATE TEMPORARY TABLE {STAGED} AS "
                "SELECT e.id AS entity_id, COALESCE(f.score, 0) AS score, "
                "CASE WHEN COALESCE(f.score, 0) >= %s THEN 'D' WHEN COALESCE(f.score, 0) >= %s THEN 'C' "
                "WHEN COALESCE(f.score, 0) >= %s THEN 'B' ELSE 'A' END AS risk_class, "
                f"COALESCE(f.reasons, {empty}) AS reasons "
                f"FROM registry_entity e LEFT JOIN (SELECT entity_id, SUM(points) AS score, {agg} AS reasons "
                f"FROM {_factor_source()} s GROUP BY entity_id) f ON f.entity_id = e.id "
                f"WHERE e.status = 'active'{e_filter}",
                [int(t["D"]), int(t["C"]), int(t["B"]), *e_params],
            )
        result.entities = _count(cur, STAGED)
        # Only the rows that differ from what is stored are written. The difference is taken once, by a join of
        # the staged and stored tables: an upsert of every staged row with ``DO UPDATE … WHERE changed`` still
        # locks each unchanged row it skips, which rewrites every page of the table (at 10,000,000 entities most
        # of the daily job's time, for a few thousand changes — docs/scale.md).
        cur.execute(f"DROP TABLE IF EXISTS {CHANGED}")
        cur.execute(
            f"CREATE TEMPORARY TABLE {CHANGED} AS "
            "SELECT t.entity_id, t.risk_class, t.score, t.reasons, r.risk_class AS previous_class "
            f"FROM {STAGED} t LEFT JOIN credit_entityrisk r ON r.entity_id = t.entity_id "
            "WHERE r.entity_id IS NULL OR r.risk_class <> t.risk_class OR r.score <> t.score "
            "OR r.reasons <> t.reasons")
        stamp = _adapt([now, on])
        cur.execute(
            "INSERT INTO credit_entityriskhistory (entity_id, risk_class, previous_class, score, reasons, "
            "classified_on, computed_at) "
            "SELECT entity_id, risk_class, COALESCE(previous_class, ''), score, reasons, %s, %s "
            f"FROM {CHANGED} WHERE previous_class IS NULL OR previous_class <> risk_class",
            [stamp[1], stamp[0]],
        )
        result.class_changed = max(cur.rowcount, 0)
        # the stored rows that changed by one join (an upsert of each, conflict by conflict, took twice as long for
        # the July day's two million changes); the new ones inserted, upserted should one have appeared meanwhile
        cur.execute(
            f"UPDATE credit_entityrisk AS r SET risk_class = c.risk_class, score = c.score, reasons = c.reasons, "
            f"computed_at = %s FROM {CHANGED} AS c WHERE r.entity_id = c.entity_id AND c.previous_class IS NOT NULL",
            [stamp[0]],
        )
        result.written = max(cur.rowcount, 0)
        cur.execute(
            "INSERT INTO credit_entityrisk (entity_id, risk_class, score, reasons, computed_at) "
            f"SELECT entity_id, risk_class, score, reasons, %s FROM {CHANGED} WHERE previous_class IS NULL "
            "ON CONFLICT (entity_id) DO UPDATE SET risk_class = excluded.risk_class, score = excluded.score, "
            "reasons = excluded.reasons, computed_at = excluded.computed_at",
            [stamp[0]],
        )
        result.written += max(cur.rowcount, 0)
        cur.execute(f"DROP TABLE {CHANGED}")
        # (an anti-join with the staged rows instead took 31.1 s at 10,000,000 against this one's 13.2 s: kept)
        r_filter, r_params = Context(on, 0, closed, ids).entity_filter("entity_id")
        cur.execute(
            "DELETE FROM credit_entityrisk WHERE entity_id IN "
            f"(SELECT id FROM registry_entity WHERE status <> 'active'){r_filter}", r_params)
        result.removed = max(cur.rowcount, 0)
        cur.execute(f"DROP TABLE {FACTORS}")
        cur.execute(f"DROP TABLE {STAGED}")
        if ids is None and (result.class_changed or result.removed):
            from jianguan.core import aggregates

            aggregates.forget("credit.risk_classes")  # a stored distribution predates every class just written
    return result


def _count(cur, table: str) -> int:
    cur.execute(f"SELECT COUNT(*) FROM {table}")
    return cur.fetchone()[0]


def recompute_each(entity_ids: Iterable[int], *, on: dt.date | None = None) -> None:
    """The per-entity loop: one recomputation per entity. The baseline of the benchmark, and what the
    incremental path does for a single changed entity."""
    for entity_id in entity_ids:
        recompute(entity_ids=[entity_id], on=on)


# --- incremental recomputation after an event ----------------------------------------------------------------------

_DEFERRED = {"depth": 0}


class deferred:
    """Within this block, services do not schedule per-entity recomputations (a sweep recomputes everything)."""

    def __enter__(self):
        _DEFERRED["depth"] += 1
        return self

    def __exit__(self, *exc):
        _DEFERRED["depth"] -= 1
        return False


def schedule(entity_ids: Iterable[int], *, on: dt.date | None = None) -> None:
    """Recompute these entities once the current transaction commits (an event changed one of their inputs)."""
    if _DEFERRED["depth"]:
        return
    ids = sorted(set(entity_ids))
    if ids:
        transaction.on_commit(lambda: recompute(entity_ids=ids, on=on))
