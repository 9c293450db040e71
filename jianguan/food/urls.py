from django.urls import path

from jianguan.core import registers

from . import views
from .registers import REGISTERS

app_name = "food"
urlpatterns = [
    path("smalls/<int:pk>/", views.small_detail, name="small"),
    path("smalls/<int:pk>/renew/", views.small_renew, name="small_renew"),
    path("smalls/<int:pk>/cancel/", views.small_cancel, name="small_cancel"),
    path("gradings/", views.gradings, name="gradings"),
    path("gradings/new/", views.grading_new, name="grading_new"),
    path("gradings/import/", views.gradings_import, name="gradings_import"),
    path("gradings/import/template.xlsx", views.gradings_template, name="gradings_template"),
    path("gradings/<int:pk>/", views.grading_detail, name="grading"),
    path("designations/", views.designations, name="designations"),
    path("designations/import/", views.designations_import, name="designations_import"),
    path("designations/import/template.xlsx", views.designations_template, name="designations_template"),
    path("designations/<int:pk>/", views.designation_detail, name="designation"),
    path("disposals/", views.disposals, name="disposals"),
    path("creation/", views.creation, name="creation"),
    path("disposals/<int:pk>/", views.disposal_detail, name="disposal"),
    *registers.urls(app_name, REGISTERS),
]
