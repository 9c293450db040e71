"""The one Ninja API object. Each app contributes its router here."""

from ninja import NinjaAPI

from jianguan.coldchain.api import router as coldchain_router
from jianguan.complaints.api import router as complaints_router
from jianguan.credit.api import router as credit_router
from jianguan.drugs.api import router as drugs_router
from jianguan.enforcement.api import router as enforcement_router
from jianguan.enforcement.document_api import document_router as enforcement_documents_router
from jianguan.enforcement.public_api import public_router as penalties_public_router
from jianguan.equipment.api import public_router as equipment_public_router
from jianguan.equipment.api import router as equipment_router
from jianguan.food.api import router as food_router
from jianguan.inspections.api import public_router as inspections_public_router
from jianguan.inspections.api import router as inspections_router
from jianguan.ip.api import router as ip_router
from jianguan.metrology.api import router as metrology_router
from jianguan.monitoring.api import router as monitoring_router
from jianguan.portal.api import router as portal_router
from jianguan.prices.api import router as prices_router
from jianguan.quality.api import router as quality_router
from jianguan.registry.api import router as registry_router
from jianguan.sampling.api import router as sampling_router
from jianguan.standards.api import router as standards_router
from jianguan.startup.api import router as startup_router
from jianguan.workplan.api import router as workplan_router

from . import errors
from .core import router as core_router
from .docs import VendoredSwagger

api = NinjaAPI(
    title="监管 Jianguan API",
    version="1",
    description="市场监管平台接口。工作人员接口需 API 令牌；公开数据接口无需令牌。错误统一为 "
    '`{"error": {"code", "message", "details"}}`。',
    urls_namespace="api-1",
    docs_url="/docs",
    docs=VendoredSwagger(),
    openapi_url="/openapi.json",
)
errors.install(api)
# open data first: its public paths are then the first URL patterns tried, not the last of ~70
api.add_router("/", portal_router)  # open data: /entities, /lists, /inspection-plans|results (public, no key)
api.add_router("/", core_router)
api.add_router("/registry/", registry_router)
api.add_router("/startup/", startup_router)
api.add_router("/credit/", credit_router)
api.add_router("/inspections/", inspections_router)
api.add_router("/public/inspections/", inspections_public_router)
api.add_router("/public/penalties/", penalties_public_router)
api.add_router("/complaints/", complaints_router)
api.add_router("/enforcement/", enforcement_router)
api.add_router("/enforcement/", enforcement_documents_router)  # the numbered documents of a case
api.add_router("/ip/", ip_router)
api.add_router("/monitoring/", monitoring_router)
api.add_router("/quality/", quality_router)
api.add_router("/standards/", standards_router)
api.add_router("/equipment/", equipment_router)
api.add_router("/public/equipment/", equipment_public_router)
api.add_router("/coldchain/", coldchain_router)
api.add_router("/food/", food_router)
api.add_router("/drugs/", drugs_router)
api.add_router("/prices/", prices_router)
api.add_router("/workplan/", workplan_router)
api.add_router("/sampling/", sampling_router)
api.add_router("/metrology/", metrology_router)
