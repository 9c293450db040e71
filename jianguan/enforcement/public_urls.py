"""Public pages of penalty publication; mounted at /penalties/ (namespace ``enforcement_public``)."""

from django.urls import path

from . import public_views as views

app_name = "enforcement_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
]
