from django.urls import path

from . import public_views as views

app_name = "standards_public"
urlpatterns = [path("", views.index, name="index")]
