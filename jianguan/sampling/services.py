"""Every write of the sampling flow: keyword-only, an explicit ``actor``, atomic, audited; transitions locked
(``select_for_update``) and idempotent where a double click is likely.

Plan: ``plan_create`` → ``plan_freeze`` (manifest and commitment published) → ``plan_draw`` (the public
randomness; samples created from the bundle) → ``plan_publish``. Sample: ``sample_record`` → ``custody_add`` →
``result_record`` (computed against the standard) → if unqualified: ``result_served`` (starts the objection and
rectification clocks of the plan's sector), ``objection_file`` / ``retest_record``, ``rectification_done``,
``resample``, ``lead_open``, ``sample_close``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from jianguan.core import audit
from jianguan.core.errors import DomainError, TransitionNotAllowed, ValidationFailed
from jianguan.core.models import OrgUnit
from jianguan.core.rules import rule
from jianguan.inspections import draw
from jianguan.registry.models import Entity, EntityStatus

from . import sectors
from .models import CustodyEvent, Plan, ProductCategory, Quota, Result, Sample, Standard, TestItem


def _today(on: dt.date | None) -> dt.date:
    return on or timezone.localdate()


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def _refuse(problems: list[dict], prefix: str) -> None:
    if problems:
        raise ValidationFailed(f"{prefix}：" + "；".join(p["message"] for p in problems), details=problems)


# --- plans and the draw -------------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, sector: str, year: int, code: str, title: str, category: ProductCategory,
                standard: Standard, unit: OrgUnit, quotas: dict[str, int]) -> Plan:
    """An annual plan for one product category and its standard, with a quota per district (county) bureau."""
    problems = []
    if sector not in sectors.SECTORS:
        problems.append({"field": "sector", "message": f"抽检领域「{sector}」未注册"})
    elif category.sector != sector:
        problems.append({"field": "category", "message": f"产品类别「{category.name}」不属于该领域"})
    if standard.category_id != category.pk:
        problems.append({"field": "standard", "message": f"标准 {standard.code} 不是「{category.name}」的判定标准"})
    elif not standard.items.exists():
        problems.append({"field": "standard", "message": f"标准 {standard.code} 没有检验项目"})
    code = (code or "").strip()
    if not code:
        problems.append({"field": "code", "message": "请填写计划编号"})
    elif Plan.objects.filter(code=code).exists():
        problems.append({"field": "code", "message": f"计划编号 {code} 已存在"})
    if not (title or "").strip():
        problems.append({"field": "title", "message": "请填写计划名称"})
    districts = {u.code: u for u in OrgUnit.objects.filter(code__in=list(quotas), kind=OrgUnit.Kind.DISTRICT)}
    for district, n in quotas.items():
        if district not in districts:
            problems.append({"field": "quotas", "message": f"「{district}」不是县区局"})
        elif not isinstance(n, int) or n < 0:
            problems.append({"field": "quotas", "message": f"{districts[district].name}的抽样数须为非负整数"})
    if not any(n for n in quotas.values() if isinstance(n, int)):
        problems.append({"field": "quotas", "message": "至少一个县区的抽样数须大于 0"})
    _refuse(problems, "抽检计划有误")
    plan = Plan.objects.create(sector=sector, year=year, code=code, title=title.strip(), category=category,
                               standard=standard, unit=unit, created_by=_user(actor))
    Quota.objects.bulk_create([Quota(plan=plan, district=districts[d], quota=n) for d, n in sorted(quotas.items())
                               if n])
    audit.record(actor=actor, action="sampling.plan.created", obj=plan, unit=unit, changes={
        "category": [None, category.code], "standard": [None, standard.code], "quotas": [None, quotas]})
    return plan


def samplers(plan: Plan) -> list:
    """The staff of the organising unit who record samples (抽样人员), with a valid credential."""
    today = timezone.localdate()
    return list(get_user_model().objects.filter(
        is_active=True, profile__unit=plan.unit, profile__credential_expiry__gte=today,
        groups__permissions__codename="record_sample", groups__permissions__content_type__app_label="sampling",
    ).distinct().order_by("id"))


def candidates(plan: Plan, district: OrgUnit) -> list[dict]:
    """Producers and sellers of the plan's category in ``district``: active entities of the category's industries."""
    units = OrgUnit.objects.filter(path__startswith=district.path).values("id")
    qs = Entity.objects.filter(status=EntityStatus.ACTIVE, unit_id__in=units)
    if plan.category.industries:
        qs = qs.filter(industry_id__in=plan.category.industries)
    return [{"id": code, "unit": plan.unit.code} for code in qs.order_by("id").values_list("uscc", flat=True)]


def build_manifest(plan: Plan) -> dict:
    quotas = list(plan.quotas.select_related("district"))
    strata, problems = [], []
    for q in quotas:
        pool = candidates(plan, q.district)
        if q.quota > len(pool):
            problems.append({"field": "quotas", "message":
                             f"{q.district.name}抽样数 {q.quota} 超过该县区符合条件的生产销售者数 {len(pool)}"})
        strata.append({"name": q.district.code, "quota": q.quota, "candidates": pool})
    _refuse(problems, "抽样数超过名录")
    people = samplers(plan)
    total = sum(q.quota for q in quotas)
    return {
        "algorithm": draw.ALGORITHM, "plan": plan.code, "batch": "1", "beacon": plan.beacon, "team_size": 1,
        "max_tasks": max(1, math.ceil(total / max(1, len(people))) + 1), "strata": strata,
        "inspectors": [{"id": str(u.pk), "unit": plan.unit.code} for u in people], "conflicts": [],
    }


def _lock_plan(plan: Plan, *, with_manifest: bool = False) -> Plan:
    qs = Plan.objects.select_for_update(of=("self",)).select_related("unit", "category", "standard")
    return qs.defer("bundle", *(() if with_manifest else ("manifest",))).get(pk=plan.pk)


def _write_large_text(plan_id: int, column: str, text: str) -> None:
    """Store megabytes of manifest or bundle text. On PostgreSQL through a server-side-binding cursor on the same
    connection (and transaction): the text goes to the server as a parameter as it is, whereas Django's
    client-side binding would escape and copy every character of it into the SQL first."""
    if column not in ("manifest", "bundle"):
        raise ValueError(column)
    if connection.vendor != "postgresql":
        Plan.objects.filter(pk=plan_id).update(**{column: text})
        return
    import psycopg

    connection.ensure_connection()
    with psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(f"UPDATE sampling_plan SET {column} = %s WHERE id = %s", [text, plan_id])


_DRAWN_VARYING = ("plan_id", "entity_id", "unit_id", "number", "stratum", "ticket", "sampler_id")


def _insert_drawn(samples: list[Sample]) -> None:
    """Insert the samples of a draw. On PostgreSQL as one JSON parameter unpacked by the server
    (``json_populate_recordset`` over the table's row type): the columns every drawn sample shares (status, the empty
    record, ``created_at``) are prepared once, not once per row and column as ``bulk_create`` does (16,000 calls for
    500 samples — a third of the draw's time under load). Elsewhere ``bulk_create``."""
    if not samples:
        return
    if connection.vendor != "postgresql":
        Sample.objects.bulk_create(samples)
        return
    fields = [f for f in Sample._meta.concrete_fields if not f.primary_key]

    def plain(value):
        return value.isoformat() if isinstance(value, dt.date | dt.datetime) else value

    first = samples[0]
    shared = {f.column: plain(f.get_db_prep_save(f.pre_save(first, True), connection))
              for f in fields if f.attname not in _DRAWN_VARYING}
    varying = [f for f in fields if f.attname in _DRAWN_VARYING]
    rows = [{**shared, **{f.column: getattr(s, f.attname) for f in varying}} for s in samples]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(Sample._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} "
                       f"FROM json_populate_recordset(NULL::{table}, %s::json)", [json.dumps(rows, ensure_ascii=False)])


@transaction.atomic
def plan_freeze(*, actor, plan: Plan, beacon: str) -> Plan:
    """Freeze the list of producers and publish its commitment with the named public randomness."""
    plan = _lock_plan(plan)
    if plan.status != Plan.Status.DRAFT:
        raise TransitionNotAllowed(f"计划 {plan.code} 的抽取名单已冻结（承诺值 {plan.commitment[:16]}…）")
    beacon = (beacon or "").strip()
    if not beacon:
        raise ValidationFailed("请写明将采用的公开随机源（如：福利彩票3D 第N期开奖号码）", field="beacon",
                               details=[{"field": "beacon", "message": "公开随机源不能为空"}])
    plan.beacon = beacon
    manifest = build_manifest(plan)
    problems = draw.validate_manifest(manifest)
    if problems:
        raise ValidationFailed("抽取清单不符合规范：" + "；".join(problems[:5]), details=[{"message": p} for p in problems])
    canonical = draw.canonical_manifest(manifest)
    plan.manifest = canonical.decode()
    plan.commitment = hashlib.sha256(canonical).hexdigest()
    plan.status, plan.frozen_at = Plan.Status.COMMITTED, timezone.now()
    plan.save(update_fields=["beacon", "commitment", "status", "frozen_at"])
    _write_large_text(plan.pk, "manifest", plan.manifest)
    audit.record(actor=actor, action="sampling.plan.committed", obj=plan, unit=plan.unit, changes={
        "commitment": [None, plan.commitment], "beacon": [None, beacon],
        "candidates": [None, sum(len(s["candidates"]) for s in manifest["strata"])]})
    return plan


@transaction.atomic
def plan_draw(*, actor, plan: Plan, randomness: str) -> Plan:
    """Enter the public randomness, run the draw and create a sample to take from each producer drawn."""
    plan = _lock_plan(plan, with_manifest=True)
    if plan.randomness:
        raise TransitionNotAllowed(f"计划 {plan.code} 已录入随机数「{plan.randomness}」并完成抽取，不能再次录入")
    if plan.status != Plan.Status.COMMITTED:
        raise TransitionNotAllowed("须先冻结抽取名单并公示承诺值，再录入随机数")
    randomness = (randomness or "").strip()
    if not randomness:
        raise ValidationFailed("请录入随机源公布的值", details=[{"field": "randomness", "message": "随机数不能为空"}])
    bundle = draw.compute(json.loads(plan.manifest), randomness, published_commitment=plan.commitment)
    # the manifest is stored in its canonical text: spliced into the bundle as it is rather than encoded again
    text = draw.dump_bundle(bundle, manifest_text=plan.manifest)
    plan.randomness, plan.bundle = randomness, text
    plan.bundle_sha256 = hashlib.sha256(text.encode()).hexdigest()
    plan.status, plan.drawn_at = Plan.Status.DRAWN, timezone.now()
    # not the manifest: it is frozen, and rewriting megabytes of it would cost more than the draw
    plan.save(update_fields=["randomness", "bundle_sha256", "status", "drawn_at"])
    _write_large_text(plan.pk, "bundle", text)
    found = {code: (pk, unit) for code, pk, unit in Entity.objects.filter(
        uscc__in=[s["id"] for s in bundle["selected"]]).values_list("uscc", "id", "unit_id")}
    samples = [Sample(plan=plan, entity_id=found[s["id"]][0], unit_id=found[s["id"]][1], number=f"{plan.code}-{i:04d}",
                      stratum=s["stratum"], ticket=s["ticket"],
                      sampler_id=int(s["inspectors"][0]) if s["inspectors"] else None)
               for i, s in enumerate(bundle["selected"], 1)]
    _insert_drawn(samples)
    audit.record(actor=actor, action="sampling.plan.drawn", obj=plan, unit=plan.unit, changes={
        "randomness": [None, randomness], "seed": [None, bundle["seed"]], "bundle_sha256": [None, plan.bundle_sha256],
        "samples": [None, len(samples)]})
    return plan


# --- samples ------------------------------------------------------------------------------------------------------


def _lock(sample: Sample) -> Sample:
    return Sample.objects.select_for_update(of=("self",)).select_related("plan", "plan__standard", "entity").get(
        pk=sample.pk)


@transaction.atomic
def sample_record(*, actor, sample: Sample, product_name: str, batch_no: str, produced_on: dt.date | None,
                  quantity: str, sampled_on: dt.date, seal_no: str, sampler_signed: bool, producer_signed: bool,
                  brand_model: str = "", photo=None, today: dt.date | None = None) -> Sample:
    """The sampling record (抽样单): batch, production date, quantity, seal and both signatures."""
    today = _today(today)
    sample = _lock(sample)
    if sample.status != Sample.Status.DRAWN:
        raise TransitionNotAllowed(f"样品 {sample.number} 已于 {sample.sampled_on} 抽样，不能重复记录")
    problems = []
    if not (product_name or "").strip():
        problems.append({"field": "product_name", "message": "请填写产品名称"})
    if not (batch_no or "").strip() and produced_on is None:
        problems.append({"field": "batch_no", "message": "生产批号和生产日期至少填写一项"})
    if not (quantity or "").strip():
        problems.append({"field": "quantity", "message": "请填写抽样数量"})
    if not isinstance(sampled_on, dt.date) or sampled_on > today:
        problems.append({"field": "sampled_on", "message": "抽样日期不能为空且不能晚于今天"})
    elif produced_on is not None and produced_on > sampled_on:
        problems.append({"field": "produced_on", "message": f"生产日期 {produced_on} 晚于抽样日期 {sampled_on}，不可能"})
    if not (seal_no or "").strip():
        problems.append({"field": "seal_no", "message": "样品须当场封样并填写封样编号"})
    if not (sampler_signed and producer_signed):
        problems.append({"field": "producer_signed", "message": "抽样单须由抽样人员和被抽样单位双方签字确认"})
    photo_kind = None
    if photo is not None:
        from jianguan.core import uploads

        try:
            photo_kind = uploads.check_image(photo, max_bytes=int(rule("sampling.photo_max_bytes", on=today)))
        except uploads.UploadRefused as exc:
            problems.append({"field": "photo", "message": exc.message})
    _refuse(problems, "抽样记录有误")
    sample.product_name, sample.brand_model, sample.batch_no = product_name.strip(), brand_model.strip(), batch_no.strip()
    sample.produced_on, sample.quantity, sample.sampled_on = produced_on, quantity.strip(), sampled_on
    sample.seal_no, sample.sampler_signed, sample.producer_signed = seal_no.strip(), True, True
    if photo is not None:
        # stored under a name of our own: the uploader's file name never reaches the disk
        sample.photo.save(f"{sample.number or sample.pk}.{'jpg' if photo_kind == 'jpeg' else 'png'}", photo, save=False)
    sample.status = Sample.Status.SAMPLED
    sample.save()
    audit.record(actor=actor, action="sampling.sample.sampled", obj=sample, unit=sample.unit, changes={
        "batch_no": [None, sample.batch_no], "produced_on": [None, produced_on], "sampled_on": [None, sampled_on],
        "seal_no": [None, sample.seal_no]})
    return sample


@transaction.atomic
def custody_add(*, actor, sample: Sample, on: dt.date, handed_by: str, received_by: str, seal_intact: bool = True,
                note: str = "", today: dt.date | None = None) -> CustodyEvent:
    """One hand-over of the sealed sample (样品流转); the first one takes it to the lab."""
    today = _today(today)
    sample = _lock(sample)
    if sample.status not in (Sample.Status.SAMPLED, Sample.Status.AT_LAB):
        raise TransitionNotAllowed("只有已抽样、尚未出具检验结论的样品可以登记流转")
    problems = []
    if not (handed_by or "").strip() or not (received_by or "").strip():
        problems.append({"field": "received_by", "message": "请填写移交方和接收方"})
    if on > today or on < sample.sampled_on:
        problems.append({"field": "on", "message": f"流转日期须在抽样日期 {sample.sampled_on} 与今天之间"})
    _refuse(problems, "样品流转记录有误")
    event = CustodyEvent.objects.create(sample=sample, on=on, handed_by=handed_by.strip(), received_by=received_by.strip(),
                                        seal_intact=seal_intact, note=(note or "").strip(), actor=_user(actor))
    if sample.status == Sample.Status.SAMPLED:
        sample.status = Sample.Status.AT_LAB
        sample.save(update_fields=["status"])
    audit.record(actor=actor, action="sampling.sample.custody", obj=sample, unit=sample.unit, changes={
        "on": [None, on], "from": [None, event.handed_by], "to": [None, event.received_by],
        "seal_intact": [None, seal_intact]})
    return event


def _check_values(standard: Standard, values: list[dict]) -> tuple[list[tuple[TestItem, Decimal]], list[dict]]:
    """Each value {item, value, unit} against the standard: every required item present, the unit the standard's."""
    items = {i.pk: i for i in standard.items.all()}
    given: dict[int, dict] = {}
    problems = []
    for v in values:
        try:
            item_id = int(v.get("item"))
        except (TypeError, ValueError):
            item_id = None
        if item_id not in items:
            problems.append({"field": "item", "message": f"检验项目「{v.get('item')}」不属于标准 {standard.code}"})
            continue
        given[item_id] = v
    out = []
    for item in items.values():
        v = given.get(item.pk)
        if v is None or str(v.get("value", "")).strip() == "":
            if item.required:
                problems.append({"field": f"item_{item.pk}", "message": f"缺少必检项目「{item.name}」的结果"})
            continue
        unit = str(v.get("unit") or "").strip()
        if unit.replace(" ", "").lower() != item.unit.replace(" ", "").lower():
            problems.append({"field": f"item_{item.pk}", "message":
                             f"「{item.name}」的单位应为 {item.unit}，提交的是 {unit or '（空）'}：请按标准单位换算后录入"})
            continue
        try:
            value = Decimal(str(v["value"]).strip())
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            problems.append({"field": f"item_{item.pk}", "message": f"「{item.name}」的结果「{v['value']}」不是数值"})
            continue
        out.append((item, value))
    return out, problems


def _lab_fields(lab: str, report_no: str, tested_on: dt.date, sample: Sample, today: dt.date) -> list[dict]:
    problems = []
    if not (lab or "").strip():
        problems.append({"field": "lab", "message": "请填写检验机构"})
    if not (report_no or "").strip():
        problems.append({"field": "report_no", "message": "请填写检验报告编号"})
    if not isinstance(tested_on, dt.date) or tested_on > today or (sample.sampled_on and tested_on < sample.sampled_on):
        problems.append({"field": "tested_on", "message": "检验完成日期须在抽样日期与今天之间"})
    return problems


@transaction.atomic
def result_record(*, actor, sample: Sample, values: list[dict], lab: str, report_no: str, tested_on: dt.date,
                  today: dt.date | None = None) -> Sample:
    """The lab's results per test item; each item's conformity and the sample's conclusion are computed from the
    standard's limits (never typed). A result in another unit than the standard's is refused."""
    today = _today(today)
    sample = _lock(sample)
    if sample.status in (Sample.Status.QUALIFIED, Sample.Status.UNQUALIFIED, Sample.Status.CLOSED):
        raise TransitionNotAllowed(f"样品 {sample.number} 已出具检验结论，不能重复录入；如有异议请走复检")
    if sample.status != Sample.Status.AT_LAB:
        raise TransitionNotAllowed("样品须先登记送达检验机构（样品流转），再录入检验结果")
    if sample.custody.filter(seal_intact=False).exists():
        raise TransitionNotAllowed("流转记录显示封样破损：该样品不能出具检验结论，请重新抽样")
    checked, problems = _check_values(sample.plan.standard, values)
    problems += _lab_fields(lab, report_no, tested_on, sample, today)
    _refuse(problems, "检验结果有误")
    rows = [Result(sample=sample, item=item, value=value, conforms=item.conforms(value)) for item, value in checked]
    Result.objects.bulk_create(rows)
    qualified = all(r.conforms for r in rows)
    sample.status = Sample.Status.QUALIFIED if qualified else Sample.Status.UNQUALIFIED
    sample.lab, sample.report_no, sample.tested_on = lab.strip(), report_no.strip(), tested_on
    sample.save()
    audit.record(actor=actor, action="sampling.sample.tested", obj=sample, unit=sample.unit, changes={
        "conclusion": [None, sample.status], "report_no": [None, sample.report_no],
        "failed_items": [None, [r.item.name for r in rows if not r.conforms]]})
    return sample


def _unqualified(sample: Sample) -> None:
    if sample.status != Sample.Status.UNQUALIFIED:
        raise TransitionNotAllowed(f"样品 {sample.number} 不是不合格样品（当前：{sample.get_status_display()}）")


@transaction.atomic
def result_served(*, actor, sample: Sample, served_on: dt.date, today: dt.date | None = None) -> Sample:
    """The unqualified result reached the producer: the objection and rectification clocks start (the plan's
    sector says how long each is)."""
    today = _today(today)
    sample = _lock(sample)
    _unqualified(sample)
    if sample.served_on:
        return sample
    if served_on > today or served_on < sample.tested_on:
        raise ValidationFailed("送达日期须在检验完成日期与今天之间", field="served_on",
                               details=[{"field": "served_on", "message": "送达日期有误"}])
    sector = sectors.get(sample.plan.sector)
    sample.served_on = served_on
    sample.objection_deadline = sector.objection_deadline(served_on)
    sample.rectification_deadline = sector.rectification_deadline(served_on)
    sample.save(update_fields=["served_on", "objection_deadline", "rectification_deadline"])
    audit.record(actor=actor, action="sampling.sample.served", obj=sample, unit=sample.unit, changes={
        "served_on": [None, served_on], "objection_deadline": [None, sample.objection_deadline],
        "rectification_deadline": [None, sample.rectification_deadline]})
    return sample


@transaction.atomic
def objection_file(*, actor, sample: Sample, on: dt.date, today: dt.date | None = None) -> Sample:
    """The producer objects and asks for a re-test — only within the sector's objection period."""
    today = _today(today)
    sample = _lock(sample)
    _unqualified(sample)
    if sample.objection_on:
        return sample
    if not sample.served_on:
        raise TransitionNotAllowed("检验结果尚未送达，异议期未开始")
    if sample.objection_deadline is None:
        raise TransitionNotAllowed("工作日历尚未覆盖异议期，暂不能计算期限：请先录入下一年度的节假日安排")
    if on > today or on < sample.served_on:
        raise ValidationFailed("异议日期须在送达日期与今天之间", details=[{"field": "on", "message": "异议日期有误"}])
    if on > sample.objection_deadline:
        raise ValidationFailed(
            f"已超过异议期：检验结果于 {sample.served_on} 送达，应在 {sample.objection_deadline} 前提出复检申请"
            f"（{sectors.get(sample.plan.sector).label}），{on} 提出的不予受理",
            details=[{"field": "on", "message": f"异议期截至 {sample.objection_deadline}"}])
    sample.objection_on = on
    sample.save(update_fields=["objection_on"])
    audit.record(actor=actor, action="sampling.sample.objection", obj=sample, unit=sample.unit,
                 changes={"objection_on": [None, on]})
    return sample


@transaction.atomic
def retest_record(*, actor, sample: Sample, values: list[dict], lab: str, report_no: str, tested_on: dt.date,
                  today: dt.date | None = None) -> Sample:
    """The re-test asked for in time. Qualified: the sample is qualified (no rectification). Otherwise it stays
    unqualified and the follow-up goes on."""
    today = _today(today)
    sample = _lock(sample)
    _unqualified(sample)
    if not sample.objection_on:
        raise TransitionNotAllowed("没有在异议期内提出的复检申请，不能录入复检结果")
    if sample.retest_conclusion:
        raise TransitionNotAllowed("复检结论已录入，复检以一次为限")
    checked, problems = _check_values(sample.plan.standard, values)
    problems += _lab_fields(lab, report_no, tested_on, sample, today)
    if isinstance(tested_on, dt.date) and tested_on < sample.objection_on:
        problems.append({"field": "tested_on", "message": "复检日期不能早于异议日期"})
    _refuse(problems, "复检结果有误")
    rows = [Result(sample=sample, item=item, value=value, conforms=item.conforms(value), retest=True)
            for item, value in checked]
    Result.objects.bulk_create(rows)
    qualified = all(r.conforms for r in rows)
    sample.retest_conclusion = "qualified" if qualified else "unqualified"
    if qualified:
        sample.status, sample.rectification_deadline = Sample.Status.QUALIFIED, None
    sample.save()
    audit.record(actor=actor, action="sampling.sample.retested", obj=sample, unit=sample.unit, changes={
        "retest": [None, sample.retest_conclusion], "report_no": [None, report_no]})
    return sample


@transaction.atomic
def rectification_done(*, actor, sample: Sample, on: dt.date, today: dt.date | None = None) -> Sample:
    today = _today(today)
    sample = _lock(sample)
    _unqualified(sample)
    if sample.rectified_on:
        return sample
    if not sample.served_on:
        raise TransitionNotAllowed("检验结果尚未送达，尚未责令整改")
    if on > today or on < sample.served_on:
        raise ValidationFailed("整改完成日期须在送达日期与今天之间", details=[{"field": "on", "message": "日期有误"}])
    sample.rectified_on = on
    sample.resample_due = max(on, sample.rectification_deadline or on) + dt.timedelta(
        days=int(rule("sampling.resample_days", on=on)))
    sample.save(update_fields=["rectified_on", "resample_due"])
    audit.record(actor=actor, action="sampling.sample.rectified", obj=sample, unit=sample.unit,
                 changes={"rectified_on": [None, on], "resample_due": [None, sample.resample_due]})
    return sample


@transaction.atomic
def resample(*, actor, sample: Sample) -> Sample:
    """A new sample of the same producer under the same plan (复查抽检); one per unqualified sample."""
    sample = _lock(sample)
    _unqualified(sample)
    existing = sample.resamples.first()
    if existing is not None:
        return existing
    if not sample.rectified_on:
        raise TransitionNotAllowed("整改完成后方可复查抽检")
    n = Sample.objects.filter(plan=sample.plan).count() + 1
    new = Sample.objects.create(plan=sample.plan, entity=sample.entity, unit=sample.unit, resample_of=sample,
                                number=f"{sample.plan.code}-R{n:04d}", stratum=sample.stratum, sampler=sample.sampler)
    audit.record(actor=actor, action="sampling.sample.resample", obj=new, unit=new.unit,
                 changes={"resample_of": [None, sample.number]})
    return new


@transaction.atomic
def lead_open(*, actor, sample: Sample, today: dt.date | None = None) -> int:
    """Hand the unqualified product to enforcement as a lead (one per sample)."""
    from jianguan.enforcement.services import lead_create

    today = _today(today)
    sample = _lock(sample)
    _unqualified(sample)
    if sample.lead_id:
        return sample.lead_id
    failed = "、".join(r.item.name for r in sample.results.select_related("item") if not r.conforms)
    sector = sectors.get(sample.plan.sector)
    description = (f"{sample.plan.title}：{sample.entity.name} 的「{sample.product_name}」（批号 {sample.batch_no or '—'}，"
                   f"生产日期 {sample.produced_on or '—'}）经 {sample.lab} 检验（报告 {sample.report_no}）不合格，"
                   f"不合格项目：{failed}；判定标准 {sample.plan.standard}。{sector.lead_basis}")
    lead = lead_create(actor=actor, source_kind=sector.lead_source, entity=sample.entity,
                       unit=sample.unit, description=description, discovered_on=today, source_type="sampling.sample",
                       source_id=str(sample.pk))
    sample.lead_id = lead.pk
    sample.save(update_fields=["lead_id"])
    audit.record(actor=actor, action="sampling.sample.lead", obj=sample, unit=sample.unit, changes={"lead": [None, lead.pk]})
    return lead.pk


@transaction.atomic
def sample_close(*, actor, sample: Sample, today: dt.date | None = None) -> Sample:
    """Close the follow-up: rectified, and either the re-sample passed or the case went to enforcement."""
    today = _today(today)
    sample = _lock(sample)
    if sample.status == Sample.Status.CLOSED:
        return sample
    _unqualified(sample)
    resampled_ok = sample.resamples.filter(status=Sample.Status.QUALIFIED).exists()
    if not sample.served_on or not sample.rectified_on or not (resampled_ok or sample.lead_id):
        raise TransitionNotAllowed("须送达检验结果、整改完成，并且复查抽检合格或已移送执法线索后，方可办结")
    sample.status, sample.closed_on = Sample.Status.CLOSED, today
    sample.save(update_fields=["status", "closed_on"])
    audit.record(actor=actor, action="sampling.sample.closed", obj=sample, unit=sample.unit,
                 changes={"status": ["unqualified", "closed"]})
    return sample


@transaction.atomic
def plan_publish(*, actor, plan: Plan, on: dt.date | None = None) -> Plan:
    """Publish the plan's results (portal, the producers' public records, open data). Every drawn sample must
    have its conclusion."""
    on = _today(on)
    plan = _lock_plan(plan)
    if plan.status == Plan.Status.PUBLISHED:
        return plan
    if plan.status != Plan.Status.DRAWN:
        raise TransitionNotAllowed("计划尚未完成抽取，不能公布结果")
    pending = plan.samples.filter(resample_of__isnull=True).exclude(
        status__in=(Sample.Status.QUALIFIED, Sample.Status.UNQUALIFIED, Sample.Status.CLOSED)).count()
    if pending:
        raise TransitionNotAllowed(f"还有 {pending} 个样品没有检验结论，不能公布结果")
    plan.status, plan.published_on = Plan.Status.PUBLISHED, on
    plan.save(update_fields=["status", "published_on"])
    # one entry per sample: each producer's stored public record is rebuilt (portal.records listens to these)
    for sample in plan.samples.exclude(status__in=(Sample.Status.DRAWN, Sample.Status.SAMPLED, Sample.Status.AT_LAB)):
        audit.record(actor=actor, action="sampling.sample.published", obj=sample, unit=sample.unit,
                     changes={"published_on": [None, on]})
    audit.record(actor=actor, action="sampling.plan.published", obj=plan, unit=plan.unit,
                 changes={"published_on": [None, on]})
    return plan


def overdue_rectifications(*, today: dt.date) -> int:
    """Unqualified samples past their rectification deadline without rectification and without a lead: each gets a
    lead (the daily job). Idempotent: a sample with a lead is skipped."""
    qs = Sample.objects.filter(status=Sample.Status.UNQUALIFIED, rectified_on__isnull=True, lead_id__isnull=True,
                               rectification_deadline__lt=today).filter(~Q(retest_conclusion="qualified"))
    n = 0
    for sample in qs.order_by("id"):
        try:
            lead_open(actor="system", sample=sample, today=today)
        except DomainError:
            continue
        n += 1
    return n
