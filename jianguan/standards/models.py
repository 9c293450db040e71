"""Standardization (标准化): the standards the city's enterprises adopt or lead, enterprise-standard "leader"
(领跑者) designations, standardization pilot and demonstration projects with their milestones, and the local
standards the city drafts through their stages."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit

from .numbers import LABELS


class StandardKind(models.TextChoices):
    NATIONAL = "national", LABELS["national"]
    INDUSTRY = "industry", LABELS["industry"]
    LOCAL = "local", LABELS["local"]
    GROUP = "group", LABELS["group"]
    ENTERPRISE = "enterprise", LABELS["enterprise"]


class Role(models.TextChoices):
    ADOPTED = "adopted", "执行（采用）"
    LED = "led", "主导制定"
    PARTICIPATED = "participated", "参与制定"


class EnterpriseStandard(models.Model):
    """A standard an enterprise of the city adopts, led or took part in (self-declared on the public platform)."""

    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+", verbose_name="企业")
    kind = models.CharField("标准类别", max_length=10, choices=StandardKind.choices)
    number = models.CharField("标准编号", max_length=60)
    title = models.CharField("标准名称", max_length=200)
    role = models.CharField("企业的作用", max_length=12, choices=Role.choices)
    declared_on = models.DateField("自我声明公开/发布日期")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_on", "-id"]
        verbose_name = verbose_name_plural = "企业执行和制定的标准"
        constraints = [models.UniqueConstraint(fields=["entity", "number", "role"], name="standard_once")]
        permissions = [("manage_standards", "维护标准化台账（企业标准、领跑者、试点示范、地方标准）")]

    def __str__(self) -> str:
        return self.number


class Leader(models.Model):
    """An enterprise-standard "leader" designation (企业标准“领跑者”) for a product, once per product and year."""

    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+", verbose_name="企业")
    product = models.CharField("产品/服务", max_length=100)
    standard_number = models.CharField("标准编号", max_length=60)
    year = models.PositiveSmallIntegerField("年度")
    evaluator = models.CharField("评估机构", max_length=200)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "id"]
        verbose_name = verbose_name_plural = "企业标准领跑者"
        constraints = [models.UniqueConstraint(fields=["entity", "product", "year"], name="leader_once")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.product} {self.year}"


class PilotLevel(models.TextChoices):
    NATIONAL = "national", "国家级"
    PROVINCIAL = "provincial", "省级"
    CITY = "city", "市级"


class PilotField(models.TextChoices):
    AGRICULTURE = "agriculture", "现代农业"
    GREEN = "green", "绿色发展"
    VILLAGE = "village", "美丽乡村建设"
    INDUSTRY = "industry", "传统产业转型升级"
    EMERGING = "emerging", "战略性新兴产业"
    SERVICES = "services", "现代服务业"
    PUBLIC = "public", "社会管理和公共服务"


class PilotProject(models.Model):
    """A standardization pilot or demonstration project (标准化试点示范) with milestones."""

    name = models.CharField("项目名称", max_length=200, unique=True)
    level = models.CharField("级别", max_length=10, choices=PilotLevel.choices)
    field = models.CharField("领域", max_length=12, choices=PilotField.choices)
    undertaker = models.CharField("承担单位", max_length=200)
    starts_on = models.DateField("开始日期")
    ends_on = models.DateField("计划验收日期")
    accepted_on = models.DateField("验收日期", null=True, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="负责单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-starts_on", "id"]
        verbose_name = verbose_name_plural = "标准化试点示范项目"

    def __str__(self) -> str:
        return self.name


class Milestone(models.Model):
    project = models.ForeignKey(PilotProject, on_delete=models.CASCADE, related_name="milestones")
    name = models.CharField("节点", max_length=100)
    due_on = models.DateField("计划完成日期")
    done_on = models.DateField("完成日期", null=True, blank=True)
    note = models.CharField("完成情况", max_length=300, blank=True)

    class Meta:
        ordering = ["due_on", "id"]
        verbose_name = verbose_name_plural = "试点示范项目节点"

    def __str__(self) -> str:
        return self.name


class Stage(models.TextChoices):
    PROPOSED = "proposed", "立项"
    DRAFTING = "drafting", "起草"
    COMMENTS = "comments", "征求意见"
    REVIEW = "review", "技术审查"
    APPROVAL = "approval", "报批"
    PUBLISHED = "published", "发布"


STAGE_ORDER = [s.value for s in Stage]


class LocalStandard(models.Model):
    """A local standard the city drafts (市级地方标准), moved through its stages one by one."""

    title = models.CharField("标准名称", max_length=200, unique=True)
    drafter = models.CharField("起草单位", max_length=200)
    proposed_on = models.DateField("立项日期")
    stage = models.CharField("阶段", max_length=10, choices=Stage.choices, default=Stage.PROPOSED)
    comments_from = models.DateField("征求意见开始", null=True, blank=True)
    comments_until = models.DateField("征求意见截止", null=True, blank=True)
    comments_received = models.PositiveIntegerField("收到意见（条）", default=0)
    reviewed_on = models.DateField("技术审查日期", null=True, blank=True)
    number = models.CharField("标准编号", max_length=60, blank=True)
    published_on = models.DateField("发布日期", null=True, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="负责单位")
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-proposed_on", "id"]
        verbose_name = verbose_name_plural = "地方标准制修订"
        constraints = [models.UniqueConstraint(fields=["number"], condition=~models.Q(number=""),
                                               name="local_standard_number_once")]

    def __str__(self) -> str:
        return self.title
