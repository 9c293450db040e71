"""Public pages, mounted at /inspections/."""

from django.urls import path

from . import public_views as views

app_name = "inspections_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("draw.py", views.verifier_download, name="verifier"),
    path("verify/", views.verifier_page, name="verify"),
    path("verify.html", views.verifier_page_download, name="verify_download"),
    path("results/", views.results, name="results"),
    path("results/<str:uscc>/", views.entity_results, name="entity_results"),
    path("plans/<str:code>/", views.plan_notice, name="plan"),
    path("plans/<str:code>/batches/<int:number>/", views.batch_notice, name="batch"),
    path("plans/<str:code>/batches/<int:number>/bundle.json", views.bundle_download, name="bundle"),
    path("plans/<str:code>/batches/<int:number>/manifest.json", views.manifest_download, name="manifest"),
]
