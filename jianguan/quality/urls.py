from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "quality"
urlpatterns = [
    path("visits/<int:pk>/", views.visit_detail, name="visit"),
    path("coverage/", views.coverage, name="coverage"),
    *registers.urls(app_name, REGISTERS),
]
