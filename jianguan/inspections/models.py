"""Double random, one public (双随机、一公开): the item list, conflicts, plans, draw batches, tasks and results.

The life of a draw (docs/domain §4, specs/draw-v1.md):

    plan (draft → published notice) → batch (draft → committed → drawn → published; or superseded by a re-draw)
    → tasks, one per drawn entity with a team (assigned → recorded → confirmed → published)

A batch's manifest and bundle are stored as the exact text that was hashed and published; once a batch is committed
nothing in it changes except its status. ``draw.py`` (pure standard library) computes and verifies the draw.
"""

from __future__ import annotations

import decimal
import math

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit
from jianguan.core.storage import encrypted_media
from jianguan.registry.models import Entity


class ResultCategory(models.TextChoices):
    """The official result categories as coded on the provincial platforms (docs/domain §4)."""

    NO_PROBLEM = "no_problem", "未发现问题"
    NOT_PUBLICISED = "not_publicised", "未按规定公示应当公示的信息"
    FALSE_INFO = "false_info", "公示信息隐瞒真实情况弄虚作假"
    UNREACHABLE = "unreachable", "通过登记的住所（经营场所）无法联系"
    OBSTRUCTED = "obstructed", "不配合检查情节严重"
    CORRECTED = "corrected", "发现问题已责令改正"
    FOLLOW_UP = "follow_up", "发现问题待后续处理"
    NO_ACTIVITY = "no_activity", "未发现开展本次抽查涉及的经营活动"
    CLOSED = "closed", "已关闭停业或正在组织清算"
    GONE = "gone", "注销 / 被吊销 / 被撤销 / 迁出"
    OTHER_DEPARTMENT = "other_department", "违反其他部门相关规定"


# Categories that mean a problem was found: they feed the risk indicator "近三年抽查发现问题".
PROBLEM_CATEGORIES = frozenset(
    {
        ResultCategory.NOT_PUBLICISED,
        ResultCategory.FALSE_INFO,
        ResultCategory.UNREACHABLE,
        ResultCategory.OBSTRUCTED,
        ResultCategory.CORRECTED,
        ResultCategory.FOLLOW_UP,
        ResultCategory.OTHER_DEPARTMENT,
    }
)


class InspectionMethod(models.TextChoices):
    DOCUMENTS = "documents", "书面检查"
    ON_SITE = "on_site", "实地核查"
    ONLINE = "online", "网络监测"
    SAMPLING = "sampling", "抽样检验"


class InspectionItem(models.Model):
    """An item of the inspection-item list (抽查事项清单). Items without a legal basis may not be inspected."""

    code = models.CharField("事项编码", max_length=20, unique=True)
    name = models.CharField("抽查事项", max_length=100)
    legal_basis = models.TextField("检查依据")
    department = models.CharField("责任科室/部门", max_length=60)
    object_type = models.CharField("检查对象", max_length=60, help_text="如：企业、食品经营者、特种设备使用单位")
    method = models.CharField("检查方式", max_length=12, choices=InspectionMethod.choices)
    checklist = models.JSONField("检查内容", default=list, help_text="检查要点，一项一条")
    frequency = models.CharField("抽查频次", max_length=60, blank=True)
    is_active = models.BooleanField("启用", default=True)
    sort = models.PositiveIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = verbose_name_plural = "抽查事项"
        permissions = [("manage_items", "维护抽查事项清单")]

    def __str__(self) -> str:
        return self.name


class InspectorConflict(models.Model):
    """A conflict of interest declared by an inspector (回避声明): never drawn to inspect this entity."""

    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="检查人员"
    )
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name="市场主体")
    reason = models.CharField("回避事由", max_length=200)
    declared_on = models.DateField("声明日期", default=timezone.localdate)
    valid_until = models.DateField("有效期至", null=True, blank=True, help_text="为空表示长期有效")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = verbose_name_plural = "回避声明"
        constraints = [models.UniqueConstraint(fields=["inspector", "entity"], name="conflict_inspector_entity")]

    def __str__(self) -> str:
        return f"{self.inspector} 回避 {self.entity}"


class AssignmentMode(models.TextChoices):
    """How inspectors meet candidates: the ``unit`` written into the manifest (specs/draw-v1 §1)."""

    STATION = "station", "按所分配（检查人员只检查本所监管的主体）"
    POOLED = "pooled", "全局统一分配（本计划所有检查人员统一抽取）"


class InspectionPlan(models.Model):
    """An annual sampling plan (年度抽查计划) of a unit: items, the object-list filters, ratios per risk class."""

    class Status(models.TextChoices):
        DRAFT = "draft", "草稿"
        PUBLISHED = "published", "已公示"
        CLOSED = "closed", "已结束"

    code = models.CharField("计划编号", max_length=40, unique=True)
    year = models.PositiveIntegerField("年度")
    unit = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="inspection_plans", verbose_name="制定单位"
    )
    title = models.CharField("计划名称", max_length=120)
    description = models.TextField("说明", blank=True)
    items = models.ManyToManyField(InspectionItem, related_name="plans", verbose_name="抽查事项")
    joint_departments = models.CharField(
        "联合抽查部门",
        max_length=200,
        blank=True,
        help_text="部门联合抽查时填写参加部门，如：县税务局、县生态环境分局（“进一次门、查多项事”）",
    )
    assignment = models.CharField(
        "检查人员分配方式", max_length=10, choices=AssignmentMode.choices, default=AssignmentMode.STATION
    )
    # The object list (检查对象名录库) filters. Empty means "no restriction".
    filter_units = models.ManyToManyField(
        OrgUnit, blank=True, related_name="+", verbose_name="监管单位", help_text="为空表示本单位及下属全部单位"
    )
    filter_kinds = models.JSONField("主体类型", default=list, blank=True)
    filter_industries = models.JSONField("行业", default=list, blank=True, help_text="门类字母或大类代码")
    filter_licence_kinds = models.JSONField("持有许可", default=list, blank=True)
    filter_statuses = models.JSONField("登记状态", default=list, blank=True, help_text="为空表示仅存续（在业）")
    exclusion_months = models.PositiveSmallIntegerField("同一事项排除期（月）", default=12)
    min_age_months = models.PositiveSmallIntegerField("成立不满（月）不抽", default=6)
    ratios = models.JSONField("各风险类别抽查比例", default=dict, help_text='{"A": "0.01", …}，小数')
    quota_overrides = models.JSONField(
        "指定抽取数", default=dict, blank=True, help_text='{"D": 5}：不按比例、直接指定某类抽取数'
    )
    team_size = models.PositiveSmallIntegerField("检查组人数", default=2)
    complete_by = models.DateField(
        "检查完成期限", null=True, blank=True,
        help_text="计划规定的检查完成日期：任务以此为结果录入期限；为空时按抽取之日起的工作日（规则 inspections.result_days）"
    )
    max_tasks = models.PositiveSmallIntegerField("每人每批次最多任务数", default=20)
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)

    class Meta:
        ordering = ["-year", "code"]
        verbose_name = verbose_name_plural = "抽查计划"
        permissions = [("manage_plans", "制定抽查计划、组织抽取")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def is_joint(self) -> bool:
        return bool(self.joint_departments.strip())

    def ratio(self, risk_class: str) -> decimal.Decimal:
        return decimal.Decimal(str(self.ratios.get(risk_class, "0")))

    def quota(self, risk_class: str, size: int) -> int:
        """ceil(ratio × size), in exact decimal arithmetic; or the quota set by hand."""
        if risk_class in self.quota_overrides:
            return int(self.quota_overrides[risk_class])
        return math.ceil(self.ratio(risk_class) * size)


class DrawBatch(models.Model):
    """One draw of a plan (抽查批次). Committed: the manifest is frozen and its commitment public. Drawn: the
    randomness is entered and the bundle computed. A drawn batch never changes; a re-draw is a new batch."""

    class Status(models.TextChoices):
        DRAFT = "draft", "准备中"
        COMMITTED = "committed", "已冻结并公示承诺值"
        DRAWN = "drawn", "已抽取"
        PUBLISHED = "published", "已公示抽取结果"
        SUPERSEDED = "superseded", "已重新抽取（作废）"

    plan = models.ForeignKey(InspectionPlan, on_delete=models.PROTECT, related_name="batches", verbose_name="计划")
    number = models.PositiveIntegerField("批次")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.DRAFT)
    beacon = models.TextField(
        "公开随机源", help_text="事先写明将采用的公开随机数，如：福利彩票3D 2026年第320期开奖号码"
    )
    draw_date = models.DateField("计划抽取日期", null=True, blank=True)
    manifest = models.TextField("抽取清单（规范形式）", blank=True)
    commitment = models.CharField("承诺值", max_length=64, blank=True)
    strata = models.JSONField("分层", default=list, blank=True, help_text='[{"name", "size", "quota", "ratio"}]')
    inspector_report = models.JSONField("检查人员情况", default=dict, blank=True)
    conflict_count = models.PositiveIntegerField("回避对数", default=0)
    frozen_at = models.DateTimeField("冻结时间", null=True, blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    randomness = models.TextField("随机数", blank=True)
    drawn_at = models.DateTimeField("抽取时间", null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    bundle = models.TextField("抽取结果包", blank=True)
    bundle_sha256 = models.CharField("结果包 SHA-256", max_length=64, blank=True)
    unassigned = models.JSONField("未分配检查组的对象", default=list, blank=True)
    # Snapshot at draw time of who the unassigned codes were ({"uscc", "name", "unit"}), so the batch pages list them
    # without a query of their own (a query that would run only when some candidate went unassigned).
    unassigned_entities = models.JSONField("未分配对象（抽取时的名称与单位）", default=list, blank=True)
    results_due_on = models.DateField("结果录入期限", null=True, blank=True)
    results_due_provisional = models.BooleanField(
        "期限暂定", default=False, help_text="期限落在尚未录入节假日安排的年度：按无节假日暂定，录入后由每日作业重算"
    )
    published_at = models.DateTimeField("结果公示时间", null=True, blank=True)
    redraw_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="redrawn_as", verbose_name="重新抽取自"
    )
    redraw_reason = models.TextField("重新抽取原因", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["plan", "number"]
        verbose_name = verbose_name_plural = "抽取批次"
        constraints = [models.UniqueConstraint(fields=["plan", "number"], name="batch_plan_number")]

    def __str__(self) -> str:
        return f"{self.plan.code} 第{self.number}批"

    @property
    def is_public(self) -> bool:
        """Committed batches are public: the commitment must be published before the randomness exists."""
        return self.status != self.Status.DRAFT

    @property
    def bundle_filename(self) -> str:
        return f"bundle-{self.plan.code}-{self.number}.json"


class TaskStatus(models.TextChoices):
    ASSIGNED = "assigned", "待检查"
    RECORDED = "recorded", "待确认"
    CONFIRMED = "confirmed", "已确认"
    PUBLISHED = "published", "已公示"
    VOID = "void", "已作废（重新抽取）"


OPEN_TASK_STATUSES = (TaskStatus.ASSIGNED, TaskStatus.RECORDED)


class InspectionTask(models.Model):
    """A drawn entity with its team: one visit for all the plan's items (“进一次门、查多项事”)."""

    batch = models.ForeignKey(DrawBatch, on_delete=models.PROTECT, related_name="tasks", verbose_name="批次")
    entity = models.ForeignKey(
        Entity, on_delete=models.PROTECT, related_name="inspection_tasks", verbose_name="检查对象"
    )
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    stratum = models.CharField("分层", max_length=20)
    ticket = models.CharField("抽签值", max_length=64)
    position = models.PositiveIntegerField("顺序")
    status = models.CharField("状态", max_length=10, choices=TaskStatus.choices, default=TaskStatus.ASSIGNED)
    due_on = models.DateField("结果录入期限", null=True, blank=True)
    due_provisional = models.BooleanField("期限暂定", default=False)
    overdue = models.BooleanField("已逾期", default=False)
    inspected_on = models.DateField("检查日期", null=True, blank=True)
    notes = models.TextField("检查情况", blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    publish_due_on = models.DateField("公示期限", null=True, blank=True)
    published_at = models.DateTimeField("公示时间", null=True, blank=True)

    class Meta:
        ordering = ["batch", "position"]
        verbose_name = verbose_name_plural = "检查任务"
        permissions = [("record_results", "录入双随机抽查结果")]
        constraints = [models.UniqueConstraint(fields=["batch", "entity"], name="task_batch_entity")]
        indexes = [
            models.Index(fields=["entity", "status"], name="task_entity_status"),
            models.Index(fields=["unit", "status"], name="task_unit_status"),
        ]

    def __str__(self) -> str:
        return f"{self.batch} · {self.entity}"


class TaskMember(models.Model):
    """An inspector of a task's team, in the draw's rank order; ``confirmed_at`` is their confirmation of the result."""

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE, related_name="members")
    inspector = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="inspection_teams")
    staff_code = models.CharField("工号", max_length=20)
    rank = models.PositiveSmallIntegerField()
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    class Meta:
        ordering = ["task", "rank"]
        constraints = [models.UniqueConstraint(fields=["task", "inspector"], name="member_task_inspector")]

    def __str__(self) -> str:
        return f"{self.task_id}/{self.staff_code}"


class ItemResult(models.Model):
    """The result of one item of a task, in the official category."""

    task = models.ForeignKey(InspectionTask, on_delete=models.CASCADE, related_name="results")
    item = models.ForeignKey(InspectionItem, on_delete=models.PROTECT, related_name="+", verbose_name="抽查事项")
    category = models.CharField("检查结果", max_length=20, choices=ResultCategory.choices)
    notes = models.TextField("情况说明", blank=True)
    checklist = models.JSONField("检查要点", default=list, blank=True, help_text='[{"text", "ok"}]')

    class Meta:
        ordering = ["task", "item__sort", "item__code"]
        constraints = [models.UniqueConstraint(fields=["task", "item"], name="result_task_item")]

    def __str__(self) -> str:
        return f"{self.item} {self.get_category_display()}"


def _attachment_path(instance, filename: str) -> str:
    import secrets

    return f"inspections/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{instance.kind}"


class Attachment(models.Model):
    """A photo or document of a task. The type is decided from the file's content, never from its name."""

    class Kind(models.TextChoices):
        JPEG = "jpg", "JPEG 照片"
        PNG = "png", "PNG 图片"
        PDF = "pdf", "PDF 文件"

    task = models.ForeignKey(InspectionTask, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=_attachment_path, storage=encrypted_media)
    original_name = models.CharField("文件名", max_length=200)
    kind = models.CharField("类型", max_length=4, choices=Kind.choices)
    size = models.PositiveIntegerField("大小（字节）")
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["task", "uploaded_at", "id"]
        verbose_name = verbose_name_plural = "检查附件"

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return {"jpg": "image/jpeg", "png": "image/png", "pdf": "application/pdf"}[self.kind]


class ListingProposal(models.Model):
    """A proposal to list an entity as abnormal (经营异常名录), ground "unreachable at the registered address".

    Inspections only propose: listing is a legal act of the credit department, which accepts or rejects.
    """

    class Status(models.TextChoices):
        PROPOSED = "proposed", "待审核"
        ACCEPTED = "accepted", "已采纳（列入）"
        REJECTED = "rejected", "不予采纳"

    task = models.OneToOneField(InspectionTask, on_delete=models.PROTECT, related_name="listing_proposal")
    entity = models.ForeignKey(Entity, on_delete=models.PROTECT, related_name="+", verbose_name="市场主体")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    ground = models.CharField("列入事由", max_length=60, default="通过登记的住所或者经营场所无法联系")
    found_on = models.DateField("发现日期")
    status = models.CharField("状态", max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decision_note = models.CharField("审核意见", max_length=200, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    credit_reference = models.CharField("信用记录编号", max_length=64, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["status", "-created_at"]
        verbose_name = verbose_name_plural = "列入经营异常名录建议"
        permissions = [("review_proposals", "审核列入经营异常名录建议")]

    def __str__(self) -> str:
        return f"{self.entity} · {self.get_status_display()}"
