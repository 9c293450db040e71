from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "monitoring"
urlpatterns = [
    path("findings/<int:pk>/", views.finding, name="finding"),
    path("findings/<int:pk>/lead/", views.finding_lead, name="finding_lead"),
    path("findings/<int:pk>/file/<str:kind>/", views.finding_file, name="finding_file"),
    path("ads/<int:pk>/", views.ad, name="ad"),
    path("ads/<int:pk>/lead/", views.ad_lead, name="ad_lead"),
    path("ads/statistics/", views.ad_statistics, name="ad_statistics"),
    path("ads/statistics/export.xlsx", views.ad_statistics_export, name="ad_statistics_export"),
    path("ads/rules/", views.ad_rules, name="ad_rules"),
    *registers.urls(app_name, REGISTERS),
]
