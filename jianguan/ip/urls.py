from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "ip"
urlpatterns = [
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_facts, name="case"),
    path("cases/<int:pk>/identification/<str:action>/", views.identification, name="identification"),
    path("statistics/", views.statistics, name="statistics"),
    path("statistics/export.xlsx", views.statistics_export, name="statistics_export"),
    *registers.urls(app_name, REGISTERS),
]
