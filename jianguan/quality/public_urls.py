from django.urls import path

from . import public_views as views

app_name = "quality_public"
urlpatterns = [path("bodies/", views.bodies, name="bodies")]
