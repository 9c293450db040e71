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
    path("fees/", views.fee_campaigns, name="fee_campaigns"),
    path("fees/<int:pk>/", views.fee_campaign, name="fee_campaign"),
    path("fees/<int:pk>/export.xlsx", views.fee_campaign_export, name="fee_campaign_export"),
    path("fees/<int:pk>/checks/new/", views.fee_check_new, name="fee_check_new"),
    path("fees/checks/<int:pk>/", views.fee_check, name="fee_check"),
    path("fees/checks/<int:pk>/findings/", views.fee_finding_add, name="fee_finding_add"),
    path("fees/findings/<int:pk>/lead/", views.fee_finding_lead, name="fee_finding_lead"),
    path("fees/findings/<int:pk>/<str:action>/", views.fee_refund, name="fee_refund"),
    path("counterfeits/", views.counterfeits, name="counterfeits"),
    path("counterfeits/<int:pk>/", views.counterfeit, name="counterfeit"),
    path("counterfeits/<int:pk>/link/", views.counterfeit_link, name="counterfeit_link"),
    path("counterfeits/<int:pk>/seize/", views.counterfeit_seize, name="counterfeit_seize"),
    path("counterfeits/<int:pk>/export.xlsx", views.counterfeit_export, name="counterfeit_export"),
    path("counterfeits/goods/<int:pk>/destroy/", views.counterfeit_destroy, name="counterfeit_destroy"),
    path("rounds/", views.rounds, name="rounds"),
    path("rounds/<int:pk>/", views.round_detail, name="round"),
    path("rounds/<int:pk>/bundle.json", views.round_bundle, name="round_bundle"),
    path("rounds/<int:pk>/<str:step>/", views.round_step, name="round_step"),
    *registers.urls(app_name, REGISTERS),
]
