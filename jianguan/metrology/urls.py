from django.urls import path

from . import views

app_name = "metrology"

urlpatterns = [
    path("", views.instrument_list, name="list"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("import/", views.import_view, name="import"),
    path("export.xlsx", views.export, name="export"),
    path("<int:pk>/", views.instrument_detail, name="detail"),
    path("<int:pk>/verifications/", views.verification_add, name="verify"),
]
