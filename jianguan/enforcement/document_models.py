"""Models of the numbered documents (执法文书) and of penalty publication (行政处罚信息公示).

Kept out of ``models.py`` (the case workflow's module) so the two parts of enforcement can change independently;
``EnforcementConfig.ready`` imports this module, which registers the models with the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.fields import EncryptedBinaryField
from jianguan.core.models import OrgUnit

from .doclayout import KINDS


class Document(models.Model):
    """One issued document: its number, who issued it and the exact files handed out.

    The files are stored in the database (not the media storage) so that issuing is one transaction: a rolled back
    issue leaves neither a number gap (``core.sequences``) nor an orphan file, and ``content_hash`` (SHA-256 of
    the plaintext .docx) lets anyone check a printed copy against the record. Both files are encrypted at rest
    (``EncryptedBinaryField``, #14: a natural person's ID number and address are inside them). A correction (更正)
    issues a new document with a new number and marks the old one ``superseded_by`` it: numbers are never reused.
    """

    case = models.ForeignKey("enforcement.Case", on_delete=models.PROTECT, related_name="documents",
                             verbose_name="案件")
    # No ``choices``: the kinds live in ``doclayout.KINDS`` and adding one must not need a migration.
    kind = models.CharField("文书种类", max_length=24, help_text="doclayout.KINDS 中的代码")
    key = models.CharField("区分项", max_length=64, blank=True,
                           help_text="同一案件可制作多份的文书（询问笔录、送达回证…）以此区分，如被询问人、送达文书")
    number = models.CharField("文书编号", max_length=60, unique=True)
    authority = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="制作机关")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="承办单位")
    issued_on = models.DateField("制作日期")
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                  verbose_name="制作人")
    issued_at = models.DateTimeField(default=timezone.now)
    inputs = models.JSONField("填写内容", default=dict, blank=True)
    docx = EncryptedBinaryField("Word 文件")
    pdf = EncryptedBinaryField("PDF 文件")
    content_hash = models.CharField("文件摘要（SHA-256）", max_length=64)
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="superseded_by", verbose_name="更正的文书")
    correction_reason = models.CharField("更正理由", max_length=300, blank=True)
    is_current = models.BooleanField("现行有效", default=True)

    class Meta:
        ordering = ["case", "issued_at", "id"]
        verbose_name = verbose_name_plural = "执法文书"
        constraints = [
            models.UniqueConstraint(fields=["case", "kind", "key"], condition=models.Q(is_current=True),
                                    name="document_current_once"),
        ]
        indexes = [models.Index(fields=["unit", "kind", "-issued_at"], name="document_unit_kind")]
        permissions = [("issue_document", "制作执法文书")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}"

    def get_kind_display(self) -> str:
        kind = KINDS.get(self.kind)
        return kind.title if kind else self.kind


class PublicationStatus(models.TextChoices):
    PENDING = "pending", "待公示"
    PUBLISHED = "published", "公示中"
    ENDED = "ended", "已停止公示"


class EndReason(models.TextChoices):
    EXPIRED = "expired", "公示期满"
    REPAIRED = "repaired", "信用修复"
    REVOKED = "revoked", "处罚决定被撤销或者变更"


class Publication(models.Model):
    """The public notice of a penalty decision (SAMR Order 45), a masked snapshot taken when it is published.

    The portal and the public API read only this table: it holds no ID numbers, phones or home addresses, and an
    individual's name only masked (``publication.mask_name``). ``deadline`` is the last day to publish (rule
    ``enforcement.publication.deadline_workdays``); ``ends_on`` the last day shown (3 months for light penalties,
    3 years otherwise); the daily sweep ends it, or a granted credit repair ends it early.
    """

    penalty = models.OneToOneField("enforcement.Penalty", on_delete=models.PROTECT, related_name="publication",
                                   verbose_name="处罚决定")
    entity = models.ForeignKey("registry.Entity", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="penalty_publications", verbose_name="市场主体")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="决定机关")
    status = models.CharField("状态", max_length=10, choices=PublicationStatus.choices,
                              default=PublicationStatus.PENDING)
    decided_on = models.DateField("决定日期")
    deadline = models.DateField("公示期限", null=True, blank=True, help_text="日历尚未录入时为空，由每日任务补算")
    is_light = models.BooleanField("较轻处罚（公示 3 个月）", default=False)
    published_on = models.DateField("公示日期", null=True, blank=True)
    ends_on = models.DateField("公示截止日期", null=True, blank=True)
    ended_on = models.DateField("停止公示日期", null=True, blank=True)
    end_reason = models.CharField("停止公示原因", max_length=10, choices=EndReason.choices, blank=True)
    end_note = models.CharField("说明", max_length=200, blank=True)
    # A party registered in another province: pushed to that province's system within 10 working days (+10 with
    # approval); a revoked or changed decision: withdrawn or corrected within 3 working days (Order 45 arts. 10, 11).
    other_province = models.CharField("当事人登记地省份（行政区划代码前两位）", max_length=2, blank=True)
    push_due = models.DateField("推送至登记地省份期限", null=True, blank=True)
    push_due_provisional = models.BooleanField(
        "推送期限暂定", default=False, help_text="期限所在年份的节假日尚未录入：按无节假日计算，录入后由每日任务重算")
    push_extended = models.BooleanField("推送期限经批准延长", default=False)
    push_extension_approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                                   on_delete=models.PROTECT, related_name="+", verbose_name="延长批准人")
    push_extension_approved_on = models.DateField("延长批准日期", null=True, blank=True)
    push_extension_reason = models.CharField("延长的特殊原因", max_length=300, blank=True)
    push_overdue = models.BooleanField("推送超期", default=False, db_index=True,
                                       help_text="推送期限届满仍未推送：每日任务 enforcement-publication-push-overdue 标记")
    pushed_on = models.DateField("推送日期", null=True, blank=True)
    revoked_on = models.DateField("处罚决定被撤销或者变更日期", null=True, blank=True)
    withdraw_due = models.DateField("撤下或者更正期限", null=True, blank=True)
    withdrawn_late = models.BooleanField("超过 3 个工作日撤下", default=False)
    # the public snapshot
    decision_no = models.CharField("决定书文号", max_length=60, db_index=True)
    party_name = models.CharField("当事人", max_length=200, help_text="自然人、个体经营者姓名已隐去部分文字")
    uscc = models.CharField("统一社会信用代码", max_length=18, blank=True, db_index=True)
    legal_rep = models.CharField("法定代表人（负责人）", max_length=50, blank=True)
    authority_name = models.CharField("处罚机关", max_length=100)
    case_type = models.CharField("案件类型", max_length=60, blank=True)
    kinds = models.CharField("处罚种类", max_length=200)
    fine_amount = models.DecimalField("罚款金额（元）", max_digits=14, decimal_places=2, default=0)
    confiscated_amount = models.DecimalField("没收金额（元）", max_digits=14, decimal_places=2, default=0)
    facts = models.TextField("主要违法事实")
    legal_basis = models.TextField("处罚依据")
    content = models.TextField("处罚内容")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = verbose_name_plural = "行政处罚信息公示"
        indexes = [
            # the portal list: what is shown, newest first, keyset on (published_on, id)
            models.Index(fields=["status", "-published_on", "-id"], name="publication_list"),
            models.Index(fields=["status", "ends_on"], name="publication_ends"),
            models.Index(fields=["status", "deadline"], name="publication_due"),
        ]

    def __str__(self) -> str:
        return f"{self.decision_no} {self.party_name}"
