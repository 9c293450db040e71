from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "standards"
urlpatterns = [
    path("pilots/<int:pk>/", views.pilot_detail, name="pilot"),
    path("local/<int:pk>/", views.local_detail, name="local"),
    *registers.urls(app_name, REGISTERS),
]
