from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.entity_list, name="entity_list"),
    path("entities/new/", views.entity_register, name="entity_register"),
    path("entities/<str:uscc>/", views.entity_detail, name="entity_detail"),
    path("entities/<str:uscc>/change/", views.entity_change, name="entity_change"),
    path("entities/<str:uscc>/status/", views.entity_status, name="entity_status"),
    path("entities/<str:uscc>/licences/new/", views.licence_add, name="licence_add"),
    path("entities/<str:uscc>/licences/<int:pk>/status/", views.licence_status, name="licence_status"),
    path("licences/expiring/", views.licences_expiring, name="licences_expiring"),
]
