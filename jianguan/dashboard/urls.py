from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.index, name="index"),
    path("print/", views.print_view, name="print"),
    path("landing/", views.landing, name="landing"),
]
