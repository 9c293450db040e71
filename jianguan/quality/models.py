"""Quality improvement (质量提升): the 进园区入百企 service visits, quality awards and brand recognitions, first
quality officers (首席质量官), and the certification and testing bodies the bureau supervises.

Certification bodies and testing institutions are also registry licences (kinds ``certification_body`` and
``testing_cma``), so double-random plans that filter on those kinds draw them; their inspection items are in the
item list (SJ-RZ-01, SJ-JC-01). A test report is accepted only from an institution whose accreditation covers the
item and is in force on the report's date.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.models import OrgUnit


class Park(models.Model):
    """An industrial park (园区) the bureau visits; ``enterprises`` is the number of enterprises in it, the base of
    the coverage rate."""

    name = models.CharField("园区名称", max_length=100, unique=True)
    division = models.ForeignKey("core.Division", on_delete=models.PROTECT, verbose_name="所在区划")
    enterprises = models.PositiveIntegerField("入驻企业数")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="负责单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        verbose_name = verbose_name_plural = "园区"
        permissions = [("manage_quality_registers", "维护质量提升台账（园区、走访计划、质量奖、首席质量官）"),
                       ("record_visits", "记录走访、帮扶和跟踪回访")]

    def __str__(self) -> str:
        return self.name


class VisitStatus(models.TextChoices):
    PLANNED = "planned", "计划走访"
    VISITED = "visited", "已走访（待回访）"
    CLOSED = "closed", "已回访办结"


class Visit(models.Model):
    """A service visit to an enterprise of a park: plan → visit (problems found, help given) → follow-up."""

    park = models.ForeignKey(Park, on_delete=models.PROTECT, related_name="visits", verbose_name="园区")
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+", verbose_name="企业")
    planned_on = models.DateField("计划走访日期")
    team = models.CharField("走访人员", max_length=200)
    status = models.CharField("状态", max_length=10, choices=VisitStatus.choices, default=VisitStatus.PLANNED)
    visited_on = models.DateField("走访日期", null=True, blank=True)
    problems = models.TextField("发现的问题", blank=True)
    problem_count = models.PositiveSmallIntegerField("问题数", default=0)
    help_given = models.TextField("帮扶措施", blank=True)
    follow_up_due = models.DateField("回访期限", null=True, blank=True)
    followed_up_on = models.DateField("回访日期", null=True, blank=True)
    follow_up_note = models.TextField("回访情况", blank=True)
    solved = models.PositiveSmallIntegerField("已解决问题数", default=0)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="负责单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-planned_on", "-id"]
        verbose_name = verbose_name_plural = "进园区入百企走访"
        constraints = [models.UniqueConstraint(fields=["park", "entity", "planned_on"], name="visit_once_a_day")]
        indexes = [models.Index(fields=["status", "follow_up_due"], name="visit_status_due")]

    def __str__(self) -> str:
        return f"{self.park_id} {self.entity_id} {self.planned_on}"


class AwardKind(models.TextChoices):
    PROVINCE_AWARD = "province_award", "河南省省长质量奖"
    CITY_AWARD = "city_award", "平顶山市市长质量奖"
    BENCHMARK = "benchmark", "质量标杆"
    FAMOUS_BRAND = "famous_brand", "知名品牌"
    TIME_HONOURED = "time_honoured", "老字号"


class QualityAward(models.Model):
    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+", verbose_name="企业")
    kind = models.CharField("奖项/认定", max_length=16, choices=AwardKind.choices)
    year = models.PositiveSmallIntegerField("年度")
    product = models.CharField("产品/品牌", max_length=100, blank=True)
    document_no = models.CharField("文号", max_length=80)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-year", "kind", "id"]
        verbose_name = verbose_name_plural = "质量奖与品牌认定"
        constraints = [models.UniqueConstraint(fields=["entity", "kind", "year", "product"], name="award_once")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_kind_display()} {self.year}"


class QualityOfficer(models.Model):
    """The first quality officer (首席质量官) an enterprise appointed: one in office per enterprise."""

    entity = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+", verbose_name="企业")
    name = models.CharField("姓名", max_length=50)
    position = models.CharField("职务", max_length=60)
    appointed_on = models.DateField("任命日期")
    trained = models.BooleanField("已参加培训", default=False)
    certificate_no = models.CharField("培训证书编号", max_length=40, blank=True)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-appointed_on", "-id"]
        verbose_name = verbose_name_plural = "首席质量官"
        constraints = [models.UniqueConstraint(fields=["entity"], name="one_quality_officer")]

    def __str__(self) -> str:
        return f"{self.entity_id} {self.name}"


class CertificationBody(models.Model):
    entity = models.OneToOneField("registry.Entity", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="认证机构")
    approval_no = models.CharField("认证机构批准书编号", max_length=30, unique=True)
    fields_of_work = models.JSONField("认证领域", default=list)
    valid_until = models.DateField("批准书有效期至")
    licence = models.OneToOneField("registry.Licence", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["approval_no"]
        verbose_name = verbose_name_plural = "认证机构"
        permissions = [("manage_bodies", "维护认证机构、认证证书、检验检测机构和检验检测报告台账")]

    def __str__(self) -> str:
        return self.approval_no


class CertificateKind(models.TextChoices):
    CCC = "ccc", "强制性产品认证（CCC）"
    PRODUCT = "product", "自愿性产品认证"
    QMS = "qms", "质量管理体系认证"
    EMS = "ems", "环境管理体系认证"
    OHS = "ohs", "职业健康安全管理体系认证"
    SERVICE = "service", "服务认证"


class Certificate(models.Model):
    body = models.ForeignKey(CertificationBody, on_delete=models.PROTECT, related_name="certificates",
                             verbose_name="发证机构")
    holder = models.ForeignKey("registry.Entity", on_delete=models.PROTECT, related_name="+",
                               verbose_name="获证组织")
    number = models.CharField("证书编号", max_length=40, unique=True)
    kind = models.CharField("认证类别", max_length=10, choices=CertificateKind.choices)
    scope = models.CharField("认证产品/范围", max_length=300)
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = verbose_name_plural = "认证证书"

    def __str__(self) -> str:
        return self.number


class TestingInstitution(models.Model):
    """A testing and inspection institution with its accreditation (资质认定, CMA): certificate, scope, expiry."""

    entity = models.OneToOneField("registry.Entity", on_delete=models.PROTECT, related_name="+",
                                  verbose_name="检验检测机构")
    cma_no = models.CharField("资质认定证书编号", max_length=20, unique=True)
    scope = models.JSONField("资质认定能力范围（检验检测项目）", default=list)
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至")
    licence = models.OneToOneField("registry.Licence", on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="监管单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["cma_no"]
        verbose_name = verbose_name_plural = "检验检测机构"

    def __str__(self) -> str:
        return self.cma_no


class TestReport(models.Model):
    """A test report used as a result (监督抽查、执法取证): accepted only within the institution's accreditation."""

    institution = models.ForeignKey(TestingInstitution, on_delete=models.PROTECT, related_name="reports",
                                    verbose_name="检验检测机构")
    number = models.CharField("报告编号", max_length=40)
    item = models.CharField("检验检测项目", max_length=100)
    sample = models.CharField("样品/对象", max_length=200)
    issued_on = models.DateField("报告日期")
    conclusion = models.CharField("结论", max_length=10, choices=[("pass", "合格"), ("fail", "不合格")])
    purpose = models.CharField("用途（抽查计划、案件编号等）", max_length=100, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+", verbose_name="登记单位")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = verbose_name_plural = "检验检测报告"
        constraints = [models.UniqueConstraint(fields=["institution", "number"], name="report_number_once")]

    def __str__(self) -> str:
        return self.number
