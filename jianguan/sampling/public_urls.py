from django.urls import path

from . import public_views

app_name = "sampling_public"

urlpatterns = [
    path("", public_views.index, name="index"),
    path("<str:code>/", public_views.plan, name="plan"),
    path("<str:code>/bundle.json", public_views.bundle, name="bundle"),
]
