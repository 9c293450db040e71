"""Quality improvement registers, described once for the workbench, Excel and the API (core.registers)."""

from __future__ import annotations

from django.urls import reverse

from jianguan.core import registers
from jianguan.core.registers import Column, Register

from . import selectors, services
from .models import (
    AwardKind,
    Certificate,
    CertificateKind,
    CertificationBody,
    Park,
    QualityAward,
    QualityOfficer,
    TestingInstitution,
    TestReport,
    Visit,
)

VIEW = "quality.view_park"
MANAGE = "quality.manage_quality_registers"
VIEW_BODIES = "quality.view_certificationbody"
MANAGE_BODIES = "quality.manage_bodies"
ENTITY_NOTE = "18 位统一社会信用代码，须已在市场主体名录中"


def _not_withdrawn(row, what: str) -> None:
    """A row that refers to a withdrawn one (a certificate of a withdrawn body, a report of a withdrawn lab) is
    refused: the withdrawn row is out of the register until it is restored."""
    if registers.withdrawal_of(row) is not None:
        raise ValueError(f"{what}已撤回，不能引用（如撤回有误，请先在台账中恢复）")


def _park(text: str) -> Park:
    park = Park.objects.filter(name=text.strip()).first()
    if park is None:
        raise ValueError(f"园区“{text}”未登记，请先在园区台账中登记")
    _not_withdrawn(park, f"园区“{text}”")
    return park


def _body(text: str) -> CertificationBody:
    body = CertificationBody.objects.select_related("entity").filter(approval_no=text.strip().upper()).first()
    if body is None:
        raise ValueError(f"认证机构批准书编号 {text} 未登记")
    _not_withdrawn(body, f"认证机构批准书编号 {text} 的认证机构")
    return body


def _institution(text: str) -> TestingInstitution:
    row = TestingInstitution.objects.select_related("entity").filter(cma_no=text.strip()).first()
    if row is None:
        raise ValueError(f"资质认定证书编号 {text} 未登记")
    _not_withdrawn(row, f"资质认定证书编号 {text} 的检验检测机构")
    return row


PARKS = Register(
    key="parks", title="园区", model=Park,
    description="“质量提升进园区入百企”行动覆盖的园区；入驻企业数是走访覆盖率的分母。",
    columns=(Column("name", "园区名称", max_length=100),
             Column("division", "所在区划代码", "text", show=lambda r: r.division_id, note="如 410421"),
             Column("enterprises", "入驻企业数", "int")),
    create=services.park_create, queryset=selectors.parks_for, view_perm=VIEW, manage_perm=MANAGE, search=("name",),
    extra=(("所在区划", lambda r: r.division.name),),
    example=("宝丰县产业集聚区", "410421", 120),
)

VISITS = Register(
    key="visits", title="走访计划", model=Visit,
    description="走访计划可逐条登记或 Excel 批量导入；走访后在记录页登记发现的问题和帮扶措施，发现问题的按期回访。",
    columns=(Column("park", "园区名称", "ref", parse=_park, show=lambda r: r.park.name),
             Column("entity", "企业统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("planned_on", "计划走访日期", "date"),
             Column("team", "走访人员")),
    create=services.visit_plan, queryset=selectors.visits_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("entity__name", "park__name", "team"), link=lambda r: reverse("quality:visit", args=[r.pk]),
    extra=(("企业名称", lambda r: r.entity.name), ("状态", lambda r: r.get_status_display()),
           ("问题数", lambda r: str(r.problem_count)), ("回访期限", lambda r: str(r.follow_up_due or ""))),
)

AWARDS = Register(
    key="awards", title="质量奖与品牌认定", model=QualityAward,
    description="省长质量奖、市长质量奖、质量标杆、知名品牌、老字号等。同一企业同一产品同一年度的同一认定不能重复登记。",
    columns=(Column("entity", "企业统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("kind", "奖项/认定", "choice", choices=tuple(AwardKind.choices)),
             Column("year", "年度", "int"),
             Column("product", "产品/品牌", required=False, max_length=100),
             Column("document_no", "文号", max_length=80)),
    create=services.award_create, queryset=selectors.awards_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("entity__name", "document_no", "product"), extra=(("企业名称", lambda r: r.entity.name),),
)

OFFICERS = Register(
    key="officers", title="首席质量官", model=QualityOfficer,
    description="企业设立的首席质量官。每家企业登记一名在任首席质量官。仅供内部管理，不在门户公开。",
    columns=(Column("entity", "企业统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("name", "姓名", max_length=50), Column("position", "职务", max_length=60),
             Column("appointed_on", "任命日期", "date"),
             Column("trained", "已参加培训", "bool", required=False, note="是 或 否"),
             Column("certificate_no", "培训证书编号", required=False, max_length=40)),
    create=services.quality_officer_create, queryset=selectors.officers_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("entity__name", "name"), extra=(("企业名称", lambda r: r.entity.name),),
)

BODIES = Register(
    key="bodies", title="认证机构", model=CertificationBody,
    description="辖区内的认证机构。登记后作为许可种类“认证机构批准书”进入市场主体名录，双随机抽查计划按此种类抽取（抽查事项 SJ-RZ-01）。",
    columns=(Column("entity", "机构统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("approval_no", "认证机构批准书编号", max_length=30, note="如 CNCA-R-2002-001"),
             Column("fields_of_work", "认证领域", "list", note="如 产品认证、质量管理体系认证"),
             # the approval date lives on the body's licence (批准书), not on the body
             Column("issued_on", "批准日期", "date", show=lambda r: r.licence.issued_on.isoformat()),
             Column("valid_until", "有效期至", "date")),
    create=services.certification_body_create, queryset=selectors.bodies_for, view_perm=VIEW_BODIES,
    manage_perm=MANAGE_BODIES, search=("approval_no", "entity__name"), companions=("licence",), extra=(("机构名称", lambda r: r.entity.name),),
)

CERTIFICATES = Register(
    key="certificates", title="认证证书", model=Certificate,
    description="辖区获证组织的强制性产品认证（CCC）和自愿性认证证书。发证时认证机构批准书已过期的不予登记。",
    columns=(Column("body", "认证机构批准书编号", "ref", parse=_body, show=lambda r: r.body.approval_no),
             Column("holder", "获证组织统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("number", "证书编号", max_length=40),
             Column("kind", "认证类别", "choice", choices=tuple(CertificateKind.choices)),
             Column("scope", "认证产品/范围", max_length=300),
             Column("issued_on", "发证日期", "date"), Column("valid_until", "有效期至", "date")),
    create=services.certificate_create, queryset=selectors.certificates_for, view_perm=VIEW_BODIES,
    manage_perm=MANAGE_BODIES, search=("number", "holder__name", "scope"),
    extra=(("获证组织", lambda r: r.holder.name),),
)

INSTITUTIONS = Register(
    key="institutions", title="检验检测机构", model=TestingInstitution,
    description="辖区检验检测机构及其资质认定（CMA）证书、能力范围和有效期（6 年）。登记后作为许可种类“检验检测机构资质认定证书”"
                "进入名录，双随机抽查计划按此种类抽取（抽查事项 SJ-JC-01）。",
    columns=(Column("entity", "机构统一社会信用代码", "entity", note=ENTITY_NOTE),
             Column("cma_no", "资质认定证书编号", max_length=20, note="12 位数字"),
             Column("scope", "能力范围（检验检测项目）", "list", note="项目名称，用、分隔"),
             Column("issued_on", "发证日期", "date"),
             Column("valid_until", "有效期至", "date", required=False, note="空为发证之日起 6 年")),
    create=services.testing_institution_create, queryset=selectors.institutions_for, view_perm=VIEW_BODIES,
    manage_perm=MANAGE_BODIES, search=("cma_no", "entity__name"), companions=("licence",), extra=(("机构名称", lambda r: r.entity.name),),
)

REPORTS = Register(
    key="reports", title="检验检测报告", model=TestReport,
    description="用于监督抽查、执法取证的检验检测报告。报告日期不在机构资质认定有效期内，或项目不在能力范围内的，不予采用。",
    columns=(Column("institution", "资质认定证书编号", "ref", parse=_institution,
                    show=lambda r: r.institution.cma_no),
             Column("number", "报告编号", max_length=40), Column("item", "检验检测项目", max_length=100),
             Column("sample", "样品/对象"), Column("issued_on", "报告日期", "date"),
             Column("conclusion", "结论", "choice", choices=(("pass", "合格"), ("fail", "不合格"))),
             Column("purpose", "用途", required=False, max_length=100, note="抽查计划、案件编号等")),
    create=services.test_report_create, queryset=selectors.reports_for, view_perm=VIEW_BODIES,
    manage_perm=MANAGE_BODIES, search=("number", "item", "sample"),
    extra=(("检验检测机构", lambda r: r.institution.entity.name),),
)

REGISTERS = (PARKS, VISITS, AWARDS, OFFICERS, BODIES, CERTIFICATES, INSTITUTIONS, REPORTS)
