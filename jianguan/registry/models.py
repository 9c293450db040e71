"""Market entities (市场主体), their licences and their registration history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from jianguan.core.fields import EncryptedTextField
from jianguan.core.models import Division, OrgUnit


class Industry(models.Model):
    """GB/T 4754-2017: sections (A–T) and divisions (two digits)."""

    code = models.CharField("代码", max_length=4, primary_key=True)
    name = models.CharField("名称", max_length=100)
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")

    class Meta:
        ordering = ["code"]
        verbose_name = verbose_name_plural = "国民经济行业"

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class EntityKind(models.TextChoices):
    LLC = "llc", "有限责任公司"
    JOINT_STOCK = "joint_stock", "股份有限公司"
    SOLE_PROPRIETORSHIP = "sole", "个人独资企业"
    PARTNERSHIP = "partnership", "合伙企业"
    BRANCH = "branch", "分公司"
    FOREIGN = "foreign", "外商投资企业"
    INDIVIDUAL = "individual", "个体工商户"
    COOPERATIVE = "cooperative", "农民专业合作社"


ENTERPRISE_KINDS = {EntityKind.LLC, EntityKind.JOINT_STOCK, EntityKind.SOLE_PROPRIETORSHIP, EntityKind.PARTNERSHIP,
                    EntityKind.BRANCH, EntityKind.FOREIGN}


class EntityStatus(models.TextChoices):
    ACTIVE = "active", "存续（在业）"
    REVOKED = "revoked", "吊销"
    DEREGISTERED = "deregistered", "注销"
    CANCELLED = "cancelled", "撤销"
    MOVED_OUT = "moved_out", "迁出"


class Entity(models.Model):
    """A market entity. Personal data (ID number, phone) is for staff only and never leaves through public views."""

    uscc = models.CharField("统一社会信用代码", max_length=18, unique=True)
    uscc_problem = models.CharField(
        "代码校验问题", max_length=120, blank=True,
        help_text="存量数据导入时代码未通过校验的原因；不为空即需人工复核（不自动“纠正”）")
    name = models.CharField("名称", max_length=200, db_index=True)
    kind = models.CharField("主体类型", max_length=16, choices=EntityKind.choices)
    legal_rep = models.CharField("法定代表人/经营者", max_length=50)
    # Encrypted at rest (#14, jianguan.core.crypto); read back as plaintext, never searched by content.
    legal_rep_id_no = EncryptedTextField("证件号码", max_length=18, blank=True)
    phone = EncryptedTextField("联系电话", max_length=20, blank=True)
    registered_capital = models.DecimalField("注册资本（万元）", max_digits=14, decimal_places=4, null=True, blank=True)
    established_on = models.DateField("成立日期", db_index=True)
    address = models.CharField("住所（经营场所）", max_length=200)
    # No single-column indexes on these two keys: entity_div_industry and entity_unit_status / entity_unit_name
    # lead with them (registry 0011: 1.5 GB and two index writes per row fewer at 10,000,000 entities, docs/scale.md).
    division = models.ForeignKey(Division, on_delete=models.PROTECT, verbose_name="行政区划", db_index=False)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="entities", verbose_name="监管单位",
                             db_index=False)
    registration_authority = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+",
                                               verbose_name="登记机关")
    industry = models.ForeignKey(Industry, on_delete=models.PROTECT, verbose_name="行业")
    business_scope = models.TextField("经营范围", blank=True)
    status = models.CharField("登记状态", max_length=16, choices=EntityStatus.choices, default=EntityStatus.ACTIVE)
    status_changed_on = models.DateField("状态变更日期", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]
        verbose_name = verbose_name_plural = "市场主体"
        indexes = [
            models.Index(fields=["unit", "status", "id"], name="entity_unit_status"),
            # A scoped list sorted by name, read one unit at a time (selectors.PER_UNIT_SORTS).
            models.Index(fields=["unit", "name", "id"], name="entity_unit_name"),
            models.Index(fields=["legal_rep"], name="entity_legal_rep"),
            models.Index(fields=["division", "industry"], name="entity_div_industry"),
        ]
        permissions = [
            ("register_entity", "办理市场主体登记"),
            ("import_entity", "导入市场主体数据"),
            ("export_entity", "导出市场主体数据"),
            ("view_entity_personal", "查看市场主体人员证件等个人信息"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_enterprise(self) -> bool:
        return self.kind in ENTERPRISE_KINDS

    @property
    def is_individual(self) -> bool:
        return self.kind == EntityKind.INDIVIDUAL


class EntityChange(models.Model):
    """The registration history of an entity: establishment, each change (变更) and status change."""

    class Kind(models.TextChoices):
        ESTABLISHED = "established", "设立登记"
        CHANGED = "changed", "变更登记"
        STATUS = "status", "状态变更"
        IMPORTED = "imported", "数据导入"

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField("类型", max_length=12, choices=Kind.choices)
    on = models.DateField("日期")
    changes = models.JSONField("变更事项", default=dict, help_text="{字段: [变更前, 变更后]}")
    note = models.CharField("说明", max_length=200, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["entity", "-on", "-id"]
        indexes = [models.Index(fields=["entity", "on"])]
        verbose_name = verbose_name_plural = "登记事项变更记录"

    def __str__(self) -> str:
        return f"{self.entity_id} {self.get_kind_display()} {self.on}"


class LicenceKind(models.Model):
    """A kind of permit (as data): food production, food business, drug retail, special-equipment use…"""

    code = models.CharField("代码", max_length=32, primary_key=True)
    name = models.CharField("名称", max_length=60)
    sector = models.CharField("监管领域", max_length=20, blank=True, help_text="food / drug / equipment / quality …")
    number_format = models.CharField("编号格式校验", max_length=20, blank=True,
                                     help_text="food_production / food_business；空为不校验")
    high_risk = models.BooleanField("高风险许可", default=False, help_text="食品、药品、特种设备等：信用风险分类加分")
    validity_years = models.PositiveSmallIntegerField("有效期（年）", null=True, blank=True)
    sort = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = verbose_name_plural = "许可种类"

    def __str__(self) -> str:
        return self.name


class LicenceStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "吊销"
    CANCELLED = "cancelled", "注销"
    EXPIRED = "expired", "过期"
    # Set only by a register's withdrawal (core.registers) of the row the licence was recorded with (a certification
    # body, a testing institution, a trademark agency): not a decision on the permit, out of every draw and public page
    WITHDRAWN = "withdrawn", "登记已撤回"


class Licence(models.Model):
    """A permit held by an entity ("many licences in one": all shown with the business licence)."""

    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="licences", verbose_name="市场主体")
    kind = models.ForeignKey(LicenceKind, on_delete=models.PROTECT, verbose_name="许可种类")
    number = models.CharField("许可证编号", max_length=40)
    issuer = models.CharField("发证机关", max_length=100)
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至", null=True, blank=True, db_index=True)
    scope = models.TextField("许可范围", blank=True)
    status = models.CharField("状态", max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.VALID)
    # 一照通行: granted with the start-up on the applicant's commitment (告知承诺), rule startup.commitment_permits
    # db_default: the seeder (registry.bulk.insert: COPY / executemany) names its columns and leaves this one out
    by_commitment = models.BooleanField("告知承诺办理", default=False, db_default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["entity", "kind__sort"]
        constraints = [models.UniqueConstraint(fields=["kind", "number"], name="licence_kind_number_unique")]
        # the expiring permits in date order, with the entity for the scope's join read from the index itself (the
        # count of a district's expiring permits fetched every city-wide one from the table first, #23)
        indexes = [models.Index(fields=["status", "valid_until", "entity"], name="licence_status_until_entity")]
        verbose_name = verbose_name_plural = "许可证"

    def __str__(self) -> str:
        return f"{self.kind.name} {self.number}"

    # companion protocol of core.registers: the register row this licence was recorded with is withdrawn/restored
    def withdraw_with_row(self) -> str | None:
        """Take the licence out of the draw's candidates (status 登记已撤回); returns the status it had, None when it
        was already out. The caller saves."""
        if self.status == LicenceStatus.WITHDRAWN:
            return None
        before, self.status = self.status, LicenceStatus.WITHDRAWN
        return before

    def restore_with_row(self, before: str | None, today) -> bool:
        """Give back the status it had before the withdrawal (expired meanwhile: 过期). False when not withdrawn."""
        if self.status != LicenceStatus.WITHDRAWN:
            return False
        status = before if before in LicenceStatus.values and before != LicenceStatus.WITHDRAWN else LicenceStatus.VALID
        if status == LicenceStatus.VALID and self.valid_until is not None and self.valid_until < today:
            status = LicenceStatus.EXPIRED
        self.status = status
        return True


class PendingIndex(models.Model):
    """An index or foreign key of the register's tables that a large seed dropped for its load and builds again
    once the load has committed, several at a time in separate sessions (``seeding.finish_pending_indexes``). Written
    in the load's transaction, deleted in the transaction that builds it: what a stopped build left is finished by
    the next ``jianguan seed`` (or ``jianguan seed --finish-indexes``)."""

    name = models.CharField("名称", max_length=63, unique=True)
    statement = models.TextField("重建语句")
    created_at = models.DateTimeField("记录时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "待重建索引"

    def __str__(self) -> str:
        return self.name
