from django.urls import path

from . import views

app_name = "complaints"

urlpatterns = [
    path("", views.complaint_list, name="list"),
    path("new/", views.complaint_new, name="new"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("analytics/", views.analytics, name="analytics"),
    path("<str:number>/", views.complaint_detail, name="detail"),
    path("<str:number>/evidence/<str:token>/", views.evidence_download, name="evidence"),
    path("<str:number>/<str:action>/", views.complaint_action, name="action"),
]
