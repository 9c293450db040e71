"""Holders' self-service on the portal; mounted at /coldchain/ (namespace ``coldchain_public``)."""

from django.urls import path

from . import public_views

app_name = "coldchain_public"
urlpatterns = [
    path("movements/", public_views.movements, name="movements"),
]
