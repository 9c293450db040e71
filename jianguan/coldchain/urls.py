from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "coldchain"
urlpatterns = [
    path("batch/<int:pk>/", views.batch_detail, name="batch"),
    path("traces/", views.incidents, name="incidents"),
    path("traces/<int:pk>/", views.incident_detail, name="incident"),
    path("tasks/<int:pk>/done/", views.task_done, name="task_done"),
    *registers.urls(app_name, REGISTERS),
]
