from django.urls import path

from . import importviews, views

app_name = "registry"

urlpatterns = [
    path("", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_register, name="entity_register"),
    path("import/", importviews.entity_import, name="entity_import"),
    path("import/reports/<str:token>/", importviews.entity_import_report, name="entity_import_report"),
    path("export/", importviews.entity_export, name="entity_export"),
    path("entities/<str:uscc>/", views.entity_detail, name="entity_detail"),
    path("entities/<str:uscc>/change/", views.entity_change, name="entity_change"),
    path("entities/<str:uscc>/status/", views.entity_status, name="entity_status"),
    path("entities/<str:uscc>/licences/new/", views.licence_add, name="licence_add"),
    path("entities/<str:uscc>/licences/<int:pk>/status/", views.licence_status, name="licence_status"),
    path("licences/expiring/", views.licences_expiring, name="licences_expiring"),
]
