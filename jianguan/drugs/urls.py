from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "drugs"
urlpatterns = [
    path("campaigns/", views.campaigns, name="campaigns"),
    path("event/<int:pk>/", views.event_detail, name="event"),
    *registers.urls(app_name, REGISTERS),
]
