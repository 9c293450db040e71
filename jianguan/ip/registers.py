"""The IP department's registers (台账), described once for the workbench, Excel and the API (core.registers)."""

from __future__ import annotations

from jianguan.core import registers
from jianguan.core.registers import Column, Register

from . import selectors, services
from .models import EnterpriseLevel, GIKind, GIProduct, GIUser, IPEnterprise, PatentPledge, TrademarkAgency

VIEW = "ip.view_giproduct"
MANAGE = "ip.manage_ip_registers"
ENTITY_NOTE = "18 位统一社会信用代码，须已在市场主体名录中"


def _product(text: str) -> GIProduct:
    product = GIProduct.objects.filter(name=text.strip()).first()
    if product is None:
        raise ValueError(f"地理标志“{text}”未登记，请先在地理标志台账中登记")
    if registers.withdrawal_of(product) is not None:
        raise ValueError(f"地理标志“{text}”已撤回，不能登记其用标企业（如撤回有误，请先在台账中恢复）")
    return product


GI_PRODUCTS = Register(
    key="gi_products", title="地理标志", model=GIProduct,
    description="本市地理标志保护产品、地理标志证明商标和集体商标，及其产地范围（行政区划代码）。专用标志使用人须在产地范围内。",
    columns=(
        Column("name", "地理标志名称", max_length=100),
        Column("kind", "类型", "choice", choices=tuple(GIKind.choices)),
        Column("registration_no", "公告号/商标注册号", max_length=60),
        Column("holder", "申请人/注册人"),
        Column("area", "产地范围（区划代码）", "list", note="一个或多个行政区划代码，用、分隔，如 410423 或 410482、410425"),
        Column("area_note", "产地范围说明", required=False, max_length=300),
        Column("approved_on", "批准/注册日期", "date"),
    ),
    create=services.gi_product_create, queryset=selectors.gi_products_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("name", "registration_no", "holder"),
    example=("鲁山香菇", "地理标志保护产品", "2012年第145号", "鲁山县人民政府", "410423", "鲁山县现辖行政区域", "2012-12-20"),
)

GI_USERS = Register(
    key="gi_users", title="地理标志专用标志使用人", model=GIUser,
    description="经核准使用地理标志专用标志的生产者。产地范围外的企业不予登记；同一企业同一地理标志只登记一次。",
    columns=(
        Column("product", "地理标志名称", "ref", parse=_product, show=lambda r: r.product.name),
        Column("entity", "使用人统一社会信用代码", "entity", note=ENTITY_NOTE),
        Column("approved_on", "核准/备案日期", "date"),
        Column("announcement_no", "公告/备案号", required=False, max_length=60),
    ),
    create=services.gi_user_create, queryset=selectors.gi_users_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("entity__name", "entity__uscc", "product__name"),
    extra=(("使用人名称", lambda r: r.entity.name), ("监管单位", lambda r: r.unit.short_name or r.unit.name)),
)

IP_ENTERPRISES = Register(
    key="enterprises", title="知识产权优势示范企业", model=IPEnterprise,
    description="国家和省知识产权优势企业、示范企业的认定。同一企业同一年度同一类别的认定不能重复登记。",
    columns=(
        Column("entity", "企业统一社会信用代码", "entity", note=ENTITY_NOTE),
        Column("level", "认定类别", "choice", choices=tuple(EnterpriseLevel.choices)),
        Column("year", "认定年度", "int"),
        Column("document_no", "认定文件文号", max_length=80),
    ),
    create=services.ip_enterprise_create, queryset=selectors.ip_enterprises_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("entity__name", "entity__uscc", "document_no"),
    extra=(("企业名称", lambda r: r.entity.name),),
)

PATENT_PLEDGES = Register(
    key="pledges", title="专利权质押融资", model=PatentPledge,
    description="本市企业以专利权出质的融资登记及贴息等支持情况。专利号逐一校验（格式和校验位）。",
    columns=(
        Column("pledge_no", "质押登记号", max_length=40),
        Column("entity", "出质人统一社会信用代码", "entity", note=ENTITY_NOTE),
        Column("patents", "出质专利号", "list", note="一个或多个，用、分隔，如 ZL201080063196.9"),
        Column("pledgee", "质权人（金融机构）"),
        Column("amount", "融资金额（万元）", "decimal"),
        Column("registered_on", "质押登记日期", "date"),
        Column("ends_on", "质押期限届满", "date", required=False),
        Column("subsidised", "享受贴息等支持", "bool", required=False, note="是 或 否"),
    ),
    create=services.patent_pledge_create, queryset=selectors.patent_pledges_for, view_perm=VIEW, manage_perm=MANAGE,
    search=("pledge_no", "entity__name", "pledgee"),
    extra=(("出质人名称", lambda r: r.entity.name),),
)

TRADEMARK_AGENCIES = Register(
    key="agencies", title="商标代理机构", model=TrademarkAgency,
    description="在国家知识产权局备案的商标代理机构。登记后作为许可种类“商标代理机构备案”进入市场主体名录，"
                "双随机抽查计划按此许可种类筛选即可抽取商标代理机构。",
    columns=(
        Column("entity", "机构统一社会信用代码", "entity", note=ENTITY_NOTE),
        Column("filing_no", "备案号", max_length=40),
        Column("filed_on", "备案日期", "date"),
    ),
    create=services.trademark_agency_create, queryset=selectors.trademark_agencies_for, view_perm=VIEW,
    manage_perm=MANAGE, search=("filing_no", "entity__name"), companions=("licence",),
    extra=(("机构名称", lambda r: r.entity.name), ("监管单位", lambda r: r.unit.short_name or r.unit.name)),
)

REGISTERS = (GI_PRODUCTS, GI_USERS, IP_ENTERPRISES, PATENT_PLEDGES, TRADEMARK_AGENCIES)
