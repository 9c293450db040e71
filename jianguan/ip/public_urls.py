from django.urls import path

from . import public_views as views

app_name = "ip_public"
urlpatterns = [
    path("campaigns/", views.campaigns, name="campaigns"),
    path("gi/", views.gi_users, name="gi"),
]
