from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "prices"
urlpatterns = [
    path("alerts/", views.alerts, name="alerts"),
    path("alerts/<int:pk>/", views.alert_detail, name="alert"),
    *registers.urls(app_name, REGISTERS),
]
