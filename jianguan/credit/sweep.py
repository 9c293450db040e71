"""Credit's daily jobs (``jianguan sweep``). Each is idempotent: a second run for the same day changes nothing.

Listing decisions are legal acts: every one gets its own decision number, notice and audit entry. Document
numbers are reserved per deciding bureau in one block and the entries, notices and audit entries are inserted
set-based; the July listing does it in chunks, one transaction each (``LISTING_CHUNK``).
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections import defaultdict

from django.db import connection, transaction
from django.db.models import Exists, OuterRef, TextField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast

from jianguan.core import audit, sequences, workdays
from jianguan.core.errors import DomainError
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule
from jianguan.core.sweep import job
from jianguan.registry import bulk as registry_bulk
from jianguan.registry.models import EntityKind

from . import periods, risk, services
from .models import AnnualReport, EntryStatus, Ground, InstantInfo, ListEntry, ListKind, Notice

ACTOR = "system:sweep"


def _record_run(name: str, counts: dict) -> None:
    if any(counts.values()):
        audit.record(actor=ACTOR, action=f"credit.sweep.{name}", object_type="sweep", object_repr=name,
                     changes={k: [None, v] for k, v in counts.items()})


# Entities decided per transaction by the July listing. At province scale the non-filers run to millions (2,027,439
# of 10,000,000 in docs/scale.md): loaded at once with their units, entries, notices and audit rows they took 19.9 GB
# before the kernel killed the job. A chunk keeps the job's memory flat and commits what it decided.
LISTING_CHUNK = 5000


@job(300, "credit-annual-report-listing", "年报列异：报送期截止后将未报送年报的主体列入经营异常名录", atomic=False)
def annual_report_listing(*, today: dt.date, stdout, chunk: int = LISTING_CHUNK) -> dict:
    """List the entities that had not filed the closed year's report, ``chunk`` of them per transaction.

    The candidates' ids are read once (set-based, a few bytes each, with each one's deciding bureau); each chunk
    re-reads its entities against the same conditions in its own transaction, so one that filed or was listed
    meanwhile is left alone, and a run stopped half-way lists only the rest when run again. Run inside a transaction
    (a test, the demo), the chunks are savepoints of it. On PostgreSQL, from ``PARALLEL_FROM`` candidates, the
    bureaus are shared out between ``credit.listing_workers`` forked processes (each bureau's numbers drawn in one
    of them, in id order: the same numbers as in one process); they wait for each other only while one chains its
    chunk's audit entries."""
    year = periods.closed_year(today)
    _start, end = periods.window(year)
    arose_on = end + dt.timedelta(days=1)
    if not workdays.is_workday(today):  # CalendarUnknown propagates: the job fails with the calendar's message
        return {"report_year": year, "rest_day": 1}
    deadline = services._listing_due(arose_on, Ground.REPORT_NOT_FILED)  # counted from 30 June: day 1 is 1 July
    # Not twice for the same year; and not while still listed for an earlier year (one live entry per ground —
    # once that is cured, the next daily run lists for this year if it is still missing).
    this_year = ListEntry.objects.filter(entity=OuterRef("pk"), ground=Ground.REPORT_NOT_FILED, report_year=year)
    still_listed = ListEntry.objects.filter(entity=OuterRef("pk"), ground=Ground.REPORT_NOT_FILED,
                                            status__in=["proposed", "active"])
    pending = services.non_filers(year).filter(~Exists(this_year), ~Exists(still_listed))
    units = OrgUnit.objects.select_related("parent").in_bulk()
    # each candidate's deciding bureau, read with its id: the bureaus are shared out between the processes
    ids, owners = array("q"), array("l")
    bureau_of = _BureauOf(units)
    for pk, unit_id, authority_id in pending.order_by("id").values_list(
            "id", "unit_id", "registration_authority_id").iterator(chunk_size=20000):
        ids.append(pk)
        owners.append(bureau_of(unit_id, authority_id))
    counts = {"report_year": year, "listed": 0, "marked_individual": 0, "after_deadline": 0, "skipped": 0}
    args = {"pending": pending, "units": units, "today": today, "year": year, "end": end, "arose_on": arose_on,
            "deadline": deadline, "chunk": chunk}
    workers = int(rule("credit.listing_workers", on=today) or 1)
    if (workers > 1 and len(ids) >= PARALLEL_FROM and connection.vendor == "postgresql"
            and not connection.in_atomic_block):
        done = _decide_in_processes(ids, owners, workers=workers, stdout=stdout, **args)
    else:
        done = _decide(ids, stdout=stdout, **args)
    for key, value in done.items():
        counts[key] += value
    if counts["listed"] or counts["marked_individual"]:
        _record_run("annual_report_listing", counts)
    return counts


# Below this many candidates the July listing runs in one process (a city's year: a fork is not worth it).
PARALLEL_FROM = 20_000


class _BureauOf:
    """The deciding bureau's id for an (entity unit, registration authority) pair, memoised: thousands of entities
    share a pair."""

    def __init__(self, units: dict[int, OrgUnit]) -> None:
        self.units, self.known = units, {}

    def __call__(self, unit_id: int, authority_id: int | None) -> int:
        key = (unit_id, authority_id)
        if (found := self.known.get(key)) is None:
            unit = services.deciding_unit_of(self.units[unit_id], self.units.get(authority_id))
            found = self.known[key] = unit.pk
        return found


def _decide(ids, *, pending, units, today, year, end, arose_on, deadline, chunk, stdout, bureaus=None,
            progress=None) -> dict[str, int]:
    """Decide for ``ids`` (ascending), ``chunk`` per transaction. ``bureaus``: decide only for those whose deciding
    bureau is one of these (a process of several); the others in a chunk's range are another process's."""
    counts: dict[str, int] = defaultdict(int)
    for i in range(0, len(ids), chunk):
        with transaction.atomic():
            # the chunk as a range of ids, its conditions checked again: a 5,000-key IN list cost more to send
            # than to run; what the range adds is only what became a candidate since (and is one)
            candidates = pending.filter(pk__range=(ids[i], ids[min(i + chunk, len(ids)) - 1]))
            if bureaus is not None:
                # a process's ids are interleaved with the others': its own, as one array (one parameter), not
                # the range's every candidate read and most of them skipped (four times the reading at 10,000,000)
                candidates = candidates.filter(pk__in=RawSQL("SELECT unnest(%s::bigint[])", (list(ids[i:i + chunk]),)))
            done = _list_non_filers(candidates, units=units, today=today, year=year, end=end, arose_on=arose_on,
                                    deadline=deadline, bureaus=bureaus)
        for key, value in done.items():
            counts[key] += value
        if progress is not None:
            progress(min(chunk, len(ids) - i))
        elif len(ids) > chunk:
            stdout.write(f"  年报列异：{min(i + chunk, len(ids))}/{len(ids)}")
    return dict(counts)


def _decide_in_processes(ids, owners, *, workers: int, stdout, **args) -> dict[str, int]:
    """``_decide`` in ``workers`` forked processes, each deciding for a share of the bureaus (balanced by their
    candidates), so that a bureau's numbers are drawn in one process, in id order, as in one. A bureau that had no
    candidate when they were read (one that became a candidate since) is the first process's."""
    import multiprocessing
    from collections import Counter

    from django.db import connections

    per_bureau = Counter(owners)
    shares: list[set[int]] = [set() for _ in range(workers)]
    loads = [0] * workers
    for bureau, n in sorted(per_bureau.items(), key=lambda item: (-item[1], item[0])):
        k = loads.index(min(loads))
        shares[k].add(bureau)
        loads[k] += n
    shares = [share for share in shares if share]
    assigned = set().union(*shares)
    context = multiprocessing.get_context("fork")
    done = context.Value("q", 0)
    connections.close_all()  # a forked child must not share the parent's database connection
    children = []
    for k, share in enumerate(shares):
        mine = array("q", (pk for pk, owner in zip(ids, owners, strict=True) if owner in share))
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_decide_worker, name=f"listing-{k + 1}",
                                  args=(mine, share, assigned if k == 0 else None, done, sender, args))
        process.start()
        sender.close()
        children.append((process, receiver))
    shown = -1
    while any(process.is_alive() for process, _ in children):
        for process, _ in children:
            process.join(timeout=2)
        if done.value != shown:
            shown = done.value
            stdout.write(f"  年报列异：{shown}/{len(ids)}（{len(children)} 个进程）")
    counts: dict[str, int] = defaultdict(int)
    failures = []
    for process, receiver in children:
        try:
            done, error = receiver.recv()
        except EOFError:
            done, error = {}, f"进程异常退出（退出码 {process.exitcode}）"
        process.join()
        for key, value in done.items():
            counts[key] += value
        if error:
            failures.append(f"{process.name}：{error}")
    if failures:
        raise DomainError("年报列异未全部完成（已提交的决定有效，重新运行只处理其余的）：" + "；".join(failures))
    return dict(counts)


def _decide_worker(ids, share, assigned, decided, sender, args) -> None:
    from django.db import connections

    def progress(n: int) -> None:
        with decided.get_lock():
            decided.value += n

    bureaus = _Share(share, assigned)
    done, error = {}, ""
    try:
        done = _decide(ids, stdout=None, bureaus=bureaus, progress=progress, **args)
    except Exception as exc:  # reported by the parent, which fails the job with it
        error = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    finally:
        try:
            sender.send((done, error))
        finally:
            connections.close_all()


class _Share:
    """The bureaus a process decides for: its share, and (the first process) any bureau in no share."""

    def __init__(self, share: set[int], assigned: set[int] | None) -> None:
        self.share, self.assigned = share, assigned

    def __contains__(self, bureau: int) -> bool:
        return bureau in self.share or (self.assigned is not None and bureau not in self.assigned)


def _list_non_filers(candidates, *, units: dict[int, OrgUnit], today: dt.date, year: int, end: dt.date,
                     arose_on: dt.date, deadline: dt.date | None, bureaus=None) -> dict[str, int]:
    """One chunk of the July listing: decisions, numbered per deciding bureau, with their notices and audit entries.

    Set-based without model objects: the candidates are read as plain values (entity objects, with their encrypted
    columns decrypted and every relation loaded, were a fifth of the job at province scale), their deciding bureau
    taken from ``units`` (every unit, loaded once per run), and the entries and notices written as rows
    (``registry.bulk.insert``: COPY on PostgreSQL) under keys reserved first — a model object per row was the
    largest cost left (docs/scale.md). One audit entry per decision, as for every legal act, written last: the
    chain's lock it takes is held until the commit, and another process deciding beside this one waits for it.
    ``bureaus``: only the candidates these bureaus decide for (the others are another process's)."""
    handling = rule("credit.report.individual_handling", on=today)
    individual_kind = (None if handling == "none"
                       else ListKind.ABNORMAL if handling == "list" else ListKind.ABNORMAL_STATUS)
    bureau_of = _BureauOf(units)
    by_unit: dict[int, list[tuple]] = defaultdict(list)
    skipped = 0
    # the phone as stored (ciphertext): the text is queued with it as it is, never decrypted here
    rows = candidates.order_by("id").annotate(stored_phone=Cast("phone", output_field=TextField())).values_list(
        "id", "kind", "name", "uscc", "stored_phone", "unit_id", "registration_authority_id")
    for entity_id, kind, name, uscc, phone, unit_id, authority_id in rows:
        unit = units[bureau_of(unit_id, authority_id)]
        if bureaus is not None and unit.pk not in bureaus:
            continue
        list_kind = individual_kind if kind == EntityKind.INDIVIDUAL else ListKind.ABNORMAL
        if list_kind is None:
            skipped += 1
            continue
        by_unit[unit.pk].append((entity_id, name, uscc, phone, list_kind))
    total = sum(len(group) for group in by_unit.values())
    word = services.DOC_WORDS["abnormal"]
    facts = f"未在{end:%Y年%m月%d日}前报送{year}年度报告"
    ground_label = Ground(Ground.REPORT_NOT_FILED).label
    ids = iter(registry_bulk.allocate_ids(ListEntry, total))
    entries, notices, audits, texts = [], [], [], []
    counted = {ListKind.ABNORMAL: 0, ListKind.ABNORMAL_STATUS: 0}
    for unit_id, group in by_unit.items():
        unit = units[unit_id]
        first = sequences.reserve_block(f"doc:{unit.code}:{word}:{today.year}", len(group))
        for i, (entity_id, name, uscc, phone, list_kind) in enumerate(group):
            entry_id, label = next(ids), ListKind(list_kind).label
            decision_no = services.format_doc_no(unit, word, today.year, first + i)
            counted[list_kind] += 1
            entries.append((entry_id, entity_id, list_kind, decision_no, unit_id))
            title = f"列入{label}决定书"
            body = (f"{name}（统一社会信用代码 {uscc}）：{facts}，{unit.name}决定将你单位列入{label}（{decision_no}）。"
                    "补报年度报告后即予移出。")
            notices.append((entity_id, entry_id, title, body, decision_no))
            texts.append((phone, f"【{title}】{body}"))
            audits.append({"actor": ACTOR, "action": "credit.list.entered", "object_type": "credit.listentry",
                           "object_id": entry_id, "object_repr": f"{entity_id} {label} {ground_label}", "unit": unit_id,
                           "changes": {"list_kind": [None, list_kind], "ground": [None, Ground.REPORT_NOT_FILED],
                                       "decision_no": [None, decision_no], "report_year": [None, year],
                                       "listing_due_on": [None, deadline]}})
    registry_bulk.insert(
        ListEntry, ["id", "entity_id", "list_kind", "decision_no", "deciding_unit_id", "ground", "status", "facts",
                    "report_year", "ground_arose_on", "listing_due_on", "listed_on"],
        [(*entry, Ground.REPORT_NOT_FILED, EntryStatus.ACTIVE, facts, year, arose_on, deadline, today)
         for entry in entries], fill_defaults=True)
    registry_bulk.insert(
        Notice, ["entity_id", "list_entry_id", "title", "body", "doc_no", "kind", "sent_on", "is_public"],
        [(*notice, Notice.Kind.LISTED, today, True) for notice in notices], fill_defaults=True)
    services._text_after_commit(texts, encrypted=True)
    audit.record_many(audits, returning=False)  # one entry per listing, set-based, chained as written: last
    return {"listed": counted[ListKind.ABNORMAL], "marked_individual": counted[ListKind.ABNORMAL_STATUS],
            "after_deadline": total if deadline and today > deadline else 0, "skipped": skipped}


@job(310, "credit-instant-info-listing", "即时信息：责令期限届满仍未公示的，列入经营异常名录")
def instant_info_listing(*, today: dt.date, stdout) -> dict:
    listed = skipped = 0
    overdue = (InstantInfo.objects.filter(published_on__isnull=True, order_due_on__lt=today)
               .filter(~Exists(ListEntry.objects.filter(instant_info=OuterRef("pk"))))
               .select_related("entity").order_by("id"))
    with risk.deferred():
        for info in overdue:
            try:
                services.list_enter(actor=ACTOR, entity=info.entity, ground=Ground.INSTANT_NOT_PUBLISHED,
                                    facts=f"未在{info.order_due_on:%Y年%m月%d日}前公示{info.get_kind_display()}信息",
                                    today=today, ground_arose_on=info.order_due_on + dt.timedelta(days=1),
                                    instant_info=info)
                listed += 1
            except DomainError:  # already listed on this ground for another item: one listing is enough
                skipped += 1
    return {"listed": listed, "already_listed": skipped}


@job(320, "credit-abnormal-cure", "名录移出：列入事由已消除（已补报年报、已公示信息）的，移出经营异常名录")
def abnormal_cure(*, today: dt.date, stdout) -> dict:
    filed = AnnualReport.objects.filter(entity=OuterRef("entity"), year=OuterRef("report_year"), is_current=True)
    cured = list(ListEntry.objects.filter(status=EntryStatus.ACTIVE, ground=Ground.REPORT_NOT_FILED)
                 .filter(Exists(filed)).select_related("entity", "deciding_unit"))
    cured += list(ListEntry.objects.filter(status=EntryStatus.ACTIVE, ground=Ground.INSTANT_NOT_PUBLISHED,
                                           instant_info__published_on__isnull=False)
                  .select_related("entity", "deciding_unit"))
    for entry in cured:
        reason = (f"已补报{entry.report_year}年度报告" if entry.ground == Ground.REPORT_NOT_FILED
                  else "已履行即时信息公示义务")
        services._remove_entry(actor=ACTOR, entry=entry, today=today, reason=reason)
    return {"removed": len(cured)}


@job(325, "credit-abnormal-removal-overdue", "名录移出：收到申请或者查实事由消除之日起 5 个工作日届满仍未移出的，标记超期")
def abnormal_removal_overdue(*, today: dt.date, stdout) -> dict:
    """Flag the abnormal-list entries still listed after their removal deadline (``removal_due_on``, 5 working days
    from the application or from finding the cause cured); clear the flag once removed. Two UPDATEs, idempotent."""
    flagged = (ListEntry.objects.filter(status=EntryStatus.ACTIVE, removal_due_on__lt=today, removal_overdue=False)
               .exclude(list_kind=ListKind.SERIOUS)
               .update(removal_overdue=True))
    cleared = (ListEntry.objects.filter(removal_overdue=True)
               .exclude(status=EntryStatus.ACTIVE, removal_due_on__lt=today).update(removal_overdue=False))
    counts = {"removal_overdue_flagged": flagged, "removal_overdue_cleared": cleared}
    _record_run("abnormal-removal-overdue", counts)
    return counts


@job(330, "credit-abnormal-three-years", "届满3年：提前60日公告提醒；届满仍未履行义务的，提请列入严重违法失信名单")
def abnormal_three_years(*, today: dt.date, stdout) -> dict:
    years = int(rule("credit.abnormal.serious_after_years", on=today))
    days = int(rule("credit.abnormal.serious_reminder_days", on=today))
    active = ListEntry.objects.filter(list_kind=ListKind.ABNORMAL, status=EntryStatus.ACTIVE)
    # The third anniversary is the last day of the 3 years (Civil Code art. 202); the reminder goes out 60 days
    # before it; the proposal comes the day after it. The queries take a superset by date (the month-end rule of
    # art. 202 makes the exact bound per row); the rows are then checked one by one.
    remind_cutoff = risk.months_before(today + dt.timedelta(days=days), 12 * years)
    reminders = [e for e in active.filter(listed_on__lte=remind_cutoff + dt.timedelta(days=1), reminder_on__isnull=True)
                 .select_related("entity", "deciding_unit")
                 if workdays.anniversary(e.listed_on, years=years) - dt.timedelta(days=days) <= today]
    for entry in reminders:
        ends = workdays.anniversary(entry.listed_on, years=years)
        services.send_notice(
            entity=entry.entity, kind=Notice.Kind.SERIOUS_REMINDER, title="列入经营异常名录届满3年前公告提醒",
            sent_on=today, list_entry=entry, is_public=True,
            body=f"{entry.entity.name}于{entry.listed_on:%Y年%m月%d日}因{entry.get_ground_display()}被列入经营异常名录"
                 f"（{entry.decision_no}），将于{ends:%Y年%m月%d日}届满{years}年。届满仍未履行相关义务的，将列入严重违法失信名单。")
        entry.reminder_on = today
        entry.save(update_fields=["reminder_on"])
    live = ListEntry.objects.filter(source_entry=OuterRef("pk"), status__in=["proposed", "active"])
    due = [e for e in active.filter(listed_on__lte=risk.months_before(today, 12 * years)).filter(~Exists(live))
           .select_related("entity") if workdays.day_after_anniversary(e.listed_on, years=years) <= today]
    proposed = 0
    with risk.deferred():
        for entry in due:
            try:
                services.serious_propose(
                    actor=ACTOR, entity=entry.entity, ground=Ground.ABNORMAL_THREE_YEARS, today=today,
                    source_entry=entry,
                    facts=f"{entry.listed_on:%Y年%m月%d日}列入经营异常名录（{entry.decision_no}），届满{years}年仍未履行相关义务")
                proposed += 1
            except DomainError:  # already proposed or listed on this ground (an earlier entry)
                continue
    counts = {"reminded": len(reminders), "proposed": proposed}
    if reminders:
        _record_run("abnormal_three_years", counts)
    return counts


@job(340, "credit-serious-term-end", "严重违法失信名单：列入期限届满的，移出")
def serious_term_end(*, today: dt.date, stdout) -> dict:
    # ``term_ends_on`` is the last day listed (the anniversary): removed the day after, never on it.
    ended = list(ListEntry.objects.filter(list_kind=ListKind.SERIOUS, status=EntryStatus.ACTIVE,
                                          term_ends_on__lt=today).select_related("entity", "deciding_unit"))
    for entry in ended:
        services.serious_expire(entry=entry, today=today)
    return {"removed": len(ended)}


@job(390, "credit-risk-reclassify", "信用风险分类：全量重算（集合运算），仅在分类变化时记录历史", beside=True)
def risk_reclassify(*, today: dt.date, stdout) -> dict:
    result = risk.recompute(on=today)
    counts = result.as_counts()
    if result.written or result.removed:
        _record_run("risk_reclassify", {k: v for k, v in counts.items() if k != "classified"})
    return counts
