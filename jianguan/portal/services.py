"""Writes of the portal: notices, enterprises' replies (回应), enterprise accounts. Keyword-only, explicit actor,
atomic, audited."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from jianguan.core import audit
from jianguan.core.errors import Conflict, DomainError
from jianguan.core.models import PublicProfile

from .models import REPLY_MAX_LENGTH, Notice, Reply

User = get_user_model()


class Forbidden(DomainError):
    code = "forbidden"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


# --- notices ------------------------------------------------------------------------------------------------------

NOTICE_FIELDS = ("title", "body", "published_on", "pinned", "unit")


@transaction.atomic
def notice_save(*, actor, notice: Notice | None = None, title: str, body: str,
                published_on: dt.date | None = None, pinned: bool = False, unit=None) -> Notice:
    """Create or edit a notice; ``published_on`` None keeps it a draft."""
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise DomainError("标题和正文不能为空", field="title" if not title else "body")
    before = audit.snapshot(notice, NOTICE_FIELDS) if notice is not None and notice.pk else {}
    notice = notice or Notice()
    notice.title, notice.body, notice.published_on, notice.pinned, notice.unit = title, body, published_on, pinned, unit
    notice.save()
    after = audit.snapshot(notice, NOTICE_FIELDS)
    audit.record(actor=actor, action="portal.notice.created" if not before else "portal.notice.changed", obj=notice,
                 changes=audit.diff(before, after) if before else {k: [None, v] for k, v in after.items()})
    return notice


# --- replies ------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReplyTarget:
    """A published record an entity may reply to, as resolved by the app that owns it."""

    entity_id: int
    label: str


#: object_type (``app_label.model``) → fn(object_id: str) -> ReplyTarget | None (None: not published / unknown).
TARGETS: dict[str, Callable[[str], ReplyTarget | None]] = {}


def register_target(object_type: str, resolver: Callable[[str], ReplyTarget | None]) -> None:
    """Let entities reply to published records of ``object_type`` (the enforcement app registers penalties)."""
    TARGETS[object_type] = resolver


def _inspection_task(object_id: str) -> ReplyTarget | None:
    from jianguan.inspections.models import InspectionTask, TaskStatus

    if not object_id.isdigit():
        return None
    task = (InspectionTask.objects.filter(pk=int(object_id), status=TaskStatus.PUBLISHED)
            .select_related("batch__plan").defer("batch__manifest", "batch__bundle").first())
    if task is None:
        return None
    return ReplyTarget(task.entity_id, f"双随机抽查结果：{task.batch.plan.title}（{task.batch}）")


register_target("inspections.inspectiontask", _inspection_task)


def _enterprise_entity(actor):
    profile = getattr(actor, "public_profile", None) if getattr(actor, "is_authenticated", False) else None
    if profile is None or profile.kind != PublicProfile.Kind.ENTERPRISE or profile.entity_id is None:
        raise Forbidden("仅企业账号可以发布回应")
    return profile.entity


@transaction.atomic
def reply_post(*, actor, object_type: str, object_id: str, body: str) -> Reply:
    """The actor's enterprise replies to one of its published records; a second reply replaces the first (and
    lifts nothing: a hidden reply stays hidden until staff review it)."""
    entity = _enterprise_entity(actor)
    body = (body or "").strip()
    if not body:
        raise DomainError("回应内容不能为空", field="body")
    if len(body) > REPLY_MAX_LENGTH:
        raise DomainError(f"回应内容不能超过 {REPLY_MAX_LENGTH} 字", field="body")
    resolver = TARGETS.get(object_type)
    target = resolver(str(object_id)) if resolver else None
    if target is None or target.entity_id != entity.pk:
        # the same answer for "not yours" and "not published": nothing to learn by probing
        raise NotFound("只能对本企业已公示的记录发布回应")
    reply = Reply.objects.select_for_update().filter(object_type=object_type, object_id=str(object_id)).first()
    if reply is not None and reply.status == Reply.Status.HIDDEN:
        raise Conflict("该回应已被屏蔽，暂不能修改")
    before = {"body": reply.body} if reply else {}
    if reply is None:
        reply = Reply(entity=entity, object_type=object_type, object_id=str(object_id))
    reply.object_label, reply.body, reply.posted_by, reply.posted_at = target.label, body, actor, timezone.now()
    reply.save()
    audit.record(actor=actor, action="portal.reply.changed" if before else "portal.reply.posted", obj=reply,
                 changes={"body": [before.get("body"), body]})
    return reply


@transaction.atomic
def reply_hide(*, actor, reply: Reply, reason: str) -> Reply:
    """Staff hide a reply that breaks the rules (insults, personal data, advertising); the reason is kept."""
    reason = (reason or "").strip()
    if not reason:
        raise DomainError("请填写屏蔽理由", field="reason")
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.status == Reply.Status.HIDDEN:
        raise Conflict("该回应已屏蔽")
    reply.status, reply.hidden_by, reply.hidden_at, reply.hidden_reason = (
        Reply.Status.HIDDEN, actor, timezone.now(), reason[:200])
    reply.save()
    audit.record(actor=actor, action="portal.reply.hidden", obj=reply,
                 changes={"status": ["published", "hidden"], "hidden_reason": [None, reply.hidden_reason]})
    return reply


@transaction.atomic
def reply_restore(*, actor, reply: Reply) -> Reply:
    reply = Reply.objects.select_for_update().get(pk=reply.pk)
    if reply.status != Reply.Status.HIDDEN:
        raise Conflict("该回应未被屏蔽")
    reply.status, reply.hidden_by, reply.hidden_at, reply.hidden_reason = Reply.Status.PUBLISHED, None, None, ""
    reply.save()
    audit.record(actor=actor, action="portal.reply.restored", obj=reply, changes={"status": ["hidden", "published"]})
    return reply


# --- enterprise accounts ------------------------------------------------------------------------------------------


@transaction.atomic
def enterprise_account_create(*, entity, phone: str, password_hash: str) -> User:
    """An enterprise account for ``entity``, after the code sent to the entity's registered phone was verified.
    The login is the USCC."""
    if User.objects.filter(username=entity.uscc).exists():
        raise DomainError("该企业已开通账号，请直接使用统一社会信用代码登录", field="uscc")
    user = User.objects.create(username=entity.uscc, first_name=entity.name[:150], password=password_hash)
    profile = PublicProfile.objects.create(user=user, kind=PublicProfile.Kind.ENTERPRISE, entity=entity,
                                           phone=phone, verified_at=timezone.now())
    audit.record(actor=user, action="portal.account.enterprise_bound", obj=profile, object_repr=entity.uscc,
                 changes={"kind": [None, "enterprise"], "entity": [None, entity.uscc]})
    return user


# --- open data ----------------------------------------------------------------------------------------------------


def opendata_dump(*, actor, today: dt.date | None = None, stdout=None) -> dict:
    """Write the bulk downloads (files on disk, outside the transaction) and audit what was published."""
    from . import opendata

    manifest = opendata.dump(today=today, stdout=stdout)
    with transaction.atomic():
        audit.record(actor=actor, action="portal.opendata.dumped", object_type="portal.opendata",
                     object_id=manifest["date"], object_repr=f"开放数据包 {manifest['date']}",
                     changes={d["name"]: [None, d["rows"]] for d in manifest["datasets"]})
    return manifest
