"""Holders' self-service on the portal; mounted at /coldchain/ (namespace ``coldchain_public``)."""

from django.urls import path

from . import public_views

app_name = "coldchain_public"
urlpatterns = [
    path("movements/", public_views.movements, name="movements"),
    path("movements/import/", public_views.movements_import, name="movements_import"),
    path("movements/import/template.xlsx", public_views.movements_template, name="movements_template"),
    path("movements/export.xlsx", public_views.movements_export, name="movements_export"),
    path("tasks/", public_views.tasks, name="tasks"),
    path("api/", public_views.api_tokens, name="api_tokens"),
    path("api/<int:pk>/revoke/", public_views.api_token_revoke, name="api_token_revoke"),
    path("tasks/<int:pk>/report/", public_views.task_report, name="task_report"),
]
