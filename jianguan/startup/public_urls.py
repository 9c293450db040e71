from django.urls import path  # noqa: F401

app_name = "startup_public"

urlpatterns: list = []
