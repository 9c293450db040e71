from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from jianguan.api.urls import api
from jianguan.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("captcha/", include("captcha.urls")),
    path("workbench/registry/", include("jianguan.registry.urls")),
    path("workbench/startup/", include("jianguan.startup.urls")),
    path("workbench/credit/", include("jianguan.credit.urls")),
    path("workbench/inspections/", include("jianguan.inspections.urls")),
    path("workbench/complaints/", include("jianguan.complaints.urls")),
    path("workbench/equipment/", include("jianguan.equipment.urls")),
    path("workbench/sampling/", include("jianguan.sampling.urls")),
    path("workbench/coldchain/", include("jianguan.coldchain.urls")),
    path("workbench/food/", include("jianguan.food.urls")),
    path("workbench/drugs/", include("jianguan.drugs.urls")),
    path("workbench/prices/", include("jianguan.prices.urls")),
    path("workbench/metrology/", include("jianguan.metrology.urls")),
    path("workbench/enforcement/", include("jianguan.enforcement.document_urls")),
    path("workbench/enforcement/", include("jianguan.enforcement.urls")),
    path("workbench/ip/", include("jianguan.ip.urls")),
    path("workbench/monitoring/", include("jianguan.monitoring.urls")),
    path("workbench/quality/", include("jianguan.quality.urls")),
    path("workbench/workplan/", include("jianguan.workplan.urls")),
    path("workbench/dashboard/", include("jianguan.dashboard.urls")),
    path("workbench/standards/", include("jianguan.standards.urls")),
    path("workbench/", include("jianguan.core.urls")),
    path("startup/", include("jianguan.startup.public_urls")),
    path("inspections/", include("jianguan.inspections.public_urls")),
    path("complaints/", include("jianguan.complaints.public_urls")),
    path("equipment/", include("jianguan.equipment.public_urls")),
    path("sampling/", include("jianguan.sampling.public_urls")),
    path("food/", include("jianguan.food.public_urls")),
    path("drugs/", include("jianguan.drugs.public_urls")),
    path("penalties/", include("jianguan.enforcement.public_urls")),
    path("credit/", include("jianguan.credit.public_urls")),
    path("ip/", include("jianguan.ip.public_urls")),
    path("quality/", include("jianguan.quality.public_urls")),
    path("standards/", include("jianguan.standards.public_urls")),
    path("prices/", include("jianguan.prices.public_urls")),
    path("coldchain/", include("jianguan.coldchain.public_urls")),
    path("", include("jianguan.portal.urls")),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler403 = "jianguan.core.views.error_403"
handler404 = "jianguan.core.views.error_404"
handler500 = "jianguan.core.views.error_500"
