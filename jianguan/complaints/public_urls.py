from django.urls import path

from . import public_views as views

app_name = "complaints_public"

urlpatterns = [
    path("", views.new, name="new"),
    path("receipt/", views.receipt, name="receipt"),
    path("track/", views.track, name="track"),
    path("track/<str:number>/", views.status, name="status"),
    path("track/<str:number>/rate/", views.rate, name="rate"),
    path("track/<str:number>/evidence/<str:token>/", views.evidence, name="evidence"),
    path("entities/", views.entity_lookup, name="entity_lookup"),
    path("stats/", views.stats, name="stats"),
]
