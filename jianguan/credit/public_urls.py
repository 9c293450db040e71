"""Enterprise self-service pages; mounted at /credit/ (namespace ``credit_public``)."""

from django.urls import path

from . import public_views

app_name = "credit_public"

urlpatterns = [
    path("reports/", public_views.reports, name="reports"),
    path("reports/<int:year>/", public_views.report_form, name="report_form"),
    path("instant/", public_views.instant, name="instant"),
    path("instant/<int:pk>/publish/", public_views.instant_publish, name="instant_publish"),
    path("record/", public_views.record, name="record"),
]
