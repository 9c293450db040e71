"""The public side of drug, device and cosmetics supervision; mounted at /drugs/ (namespace ``drugs_public``)."""

from django.urls import path

from . import public_views

app_name = "drugs_public"
urlpatterns = [
    path("", public_views.outlets, name="outlets"),
    path("campaigns/", public_views.campaigns, name="campaigns"),
]
