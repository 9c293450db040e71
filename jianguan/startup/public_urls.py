from django.urls import path

from . import public_views as views

app_name = "startup_public"

urlpatterns = [
    path("", views.index, name="index"),
    path("name-check/", views.name_check, name="name_check"),
    path("name-check/results/", views.name_check_results, name="name_check_results"),
    path("scope-permits/", views.scope_permits, name="scope_permits"),
    path("applications/", views.my_applications, name="my_applications"),
    path("applications/new/", views.create, name="create"),
    path("applications/<int:pk>/", views.detail, name="detail"),
    path("applications/<int:pk>/step/<str:step>/", views.step, name="step"),
    path("applications/<int:pk>/submit/", views.submit, name="submit"),
    path("applications/<int:pk>/licence.pdf", views.licence_pdf, name="licence"),
    path("applications/<int:pk>/items/<str:code>/", views.companion_update, name="companion"),
    path("entities/<str:uscc>/apply/<str:kind>/", views.entity_apply, name="entity_apply"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/objection/", views.objection, name="objection"),
]
