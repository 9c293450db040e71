"""The portal's own data: public notices (通知公告) and enterprises' replies (回应) to published records."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

REPLY_MAX_LENGTH = 500


class Notice(models.Model):
    """A notice of the bureau on the portal home page. Shown only once published."""

    title = models.CharField("标题", max_length=120)
    body = models.TextField("正文")
    published_on = models.DateField("发布日期", null=True, blank=True, db_index=True,
                                    help_text="为空表示未发布（草稿）")
    pinned = models.BooleanField("置顶", default=False)
    unit = models.ForeignKey("core.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name="发布单位")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pinned", "-published_on", "-id"]
        verbose_name = verbose_name_plural = "通知公告"

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.published_on is not None and self.published_on <= timezone.localdate()


class Reply(models.Model):
    """An entity's reply (回应) to a published record about it: an inspection result, a penalty, … — identified
    generically by ``object_type`` (``app_label.model``) and ``object_id``. One reply per record: posting again
    replaces the text (the audit log keeps every version). Staff may hide a reply that breaks the rules."""

    class Status(models.TextChoices):
        PUBLISHED = "published", "已公开"
        HIDDEN = "hidden", "已屏蔽"

    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="replies",
                               verbose_name="市场主体")
    object_type = models.CharField("回应对象类型", max_length=60)
    object_id = models.CharField("回应对象编号", max_length=40)
    object_label = models.CharField("回应对象", max_length=200)
    body = models.TextField("回应内容", max_length=REPLY_MAX_LENGTH)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    posted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="发布账号")
    posted_at = models.DateTimeField("发布时间", default=timezone.now)
    hidden_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name="屏蔽人")
    hidden_at = models.DateTimeField("屏蔽时间", null=True, blank=True)
    hidden_reason = models.CharField("屏蔽理由", max_length=200, blank=True)

    class Meta:
        ordering = ["-posted_at", "-id"]
        verbose_name = verbose_name_plural = "企业回应"
        constraints = [models.UniqueConstraint(fields=["object_type", "object_id"], name="portal_reply_object")]
        indexes = [models.Index(fields=["entity", "status"], name="portal_reply_entity")]
        permissions = [("moderate_reply", "审核、屏蔽企业回应")]

    def __str__(self) -> str:
        return f"{self.entity_id} 回应 {self.object_label}"


class PublicRecord(models.Model):
    """An entity's public record (``GET /api/v1/entities/{code}``), rendered once and stored, so that serving it
    is one indexed read instead of ten queries and a render.

    Kept in step by ``portal.records``: every change to a source (the entity, its licences, reports, listings,
    published inspection results, complaints, penalties, replies) counts one more change in the entity's
    ``RecordMark``, in the writer's own transaction — this row, a kilobyte or more, is not rewritten. A row is
    served only while its ``generation`` (the changes counted when it was built) is not behind its mark; the next
    read rebuilds it. ``valid_until`` marks records holding date-dependent content (complaint figures of the last
    12 months, penalties within their publication period): past it, the row is rebuilt too. ``body`` NULL also
    means "to rebuild" (rows stored before marks existed)."""

    entity = models.OneToOneField("registry.Entity", on_delete=models.CASCADE, primary_key=True,
                                  related_name="public_record", verbose_name="市场主体")
    uscc = models.CharField("统一社会信用代码", max_length=18, db_index=True)
    # NULL (not "") marks a row to rebuild: the serving query reads only rows whose body IS NOT NULL
    body = models.TextField("公示信息（JSON）", null=True, help_text="为空表示待重建")  # noqa: DJ001
    etag = models.CharField("ETag", max_length=40, blank=True)
    valid_until = models.DateField("有效期至（不含）", null=True, blank=True,
                                   help_text="含按日期变化的内容时，到该日须重建；为空表示直到来源变化")
    generation = models.PositiveIntegerField("版本", default=0, help_text="生成时已计入的来源变更次数")
    built_at = models.DateTimeField("生成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "公示信息（已生成）"
        indexes = [
            # what the daily rebuild looks for, without reading the 12 GB table at a province's scale
            models.Index(fields=["entity"], condition=models.Q(body__isnull=True), name="portal_record_unbuilt"),
            models.Index(fields=["valid_until"], condition=models.Q(valid_until__isnull=False),
                         name="portal_record_dated"),
        ]

    def __str__(self) -> str:
        return self.uscc


class RecordMark(models.Model):
    """How many times the sources of an entity's public record changed (``changed``), and how many of those
    changes its stored record includes (``built``): ``changed > built`` is a record to rebuild.

    A change is one upsert of this small row (in the writer's transaction) instead of a rewrite of the stored
    record: at 10,000,000 entities the July listing marked 2,000,000 records and rewriting them took 338 s. Rows
    are kept once built — the counter must never go back, or a record built before a change could pass for one
    built after it. Not a foreign key: a change may be counted for an entity deleted in the same transaction;
    the rebuild drops such marks."""

    entity_id = models.BigIntegerField("市场主体", primary_key=True)
    changed = models.BigIntegerField("来源变更次数", default=0)
    built = models.BigIntegerField("已生成的变更次数", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "公示信息待重建标记"
        indexes = [models.Index(fields=["entity_id"], condition=models.Q(changed__gt=models.F("built")),
                                name="portal_mark_due")]

    def __str__(self) -> str:
        return f"{self.entity_id}: {self.built}/{self.changed}"
