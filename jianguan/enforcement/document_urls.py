"""Workbench URLs of the numbered documents; included from ``enforcement/urls.py`` (namespace
``enforcement_documents``)."""

from django.urls import path

from . import document_views as views

app_name = "enforcement_documents"

urlpatterns = [
    path("cases/<int:case_pk>/documents/", views.case_documents, name="list"),
    path("cases/<int:case_pk>/documents/<str:kind>/", views.issue, name="issue"),
    path("documents/<int:pk>.<str:fmt>", views.download, name="download"),
    path("publications/", views.publications, name="publications"),
    path("publications/<int:pk>/<str:action>/", views.publication_action, name="publication_action"),
]
