from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "monitoring"
urlpatterns = [
    path("findings/<int:pk>/", views.finding, name="finding"),
    path("findings/<int:pk>/lead/", views.finding_lead, name="finding_lead"),
    path("findings/<int:pk>/file/<str:kind>/", views.finding_file, name="finding_file"),
    *registers.urls(app_name, REGISTERS),
]
