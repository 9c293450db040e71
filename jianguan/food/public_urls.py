from django.urls import path

from . import public_views

app_name = "food_public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("grades/<str:code>/", public_views.caterer, name="caterer"),
    path("badge/<str:code>.svg", public_views.badge, name="badge"),
    path("smalls/", public_views.smalls, name="smalls"),
    path("designations/", public_views.designations, name="designations"),
    path("recalls/", public_views.disposals, name="disposals"),
]
