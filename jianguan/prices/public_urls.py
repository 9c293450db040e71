"""Public price board and the outlet's own report; mounted at /prices/ (namespace ``prices_public``)."""

from django.urls import path

from . import public_views

app_name = "prices_public"
urlpatterns = [
    path("", public_views.board, name="board"),
    path("report/", public_views.report, name="report"),
]
