from django.urls import path

from . import public_views

app_name = "equipment_public"

urlpatterns = [
    path("lifts/", public_views.lifts, name="lifts"),
]
