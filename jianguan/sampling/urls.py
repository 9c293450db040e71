from django.urls import path

from . import views

app_name = "sampling"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("followup/", views.followup, name="followup"),
    path("samples/", views.sample_list, name="samples"),
    path("samples/<int:pk>/", views.sample_detail, name="sample"),
    path("samples/<int:pk>/photo/", views.sample_photo, name="sample_photo"),
    path("samples/<int:pk>/<str:action>/", views.sample_action, name="sample_action"),
    path("<str:code>/", views.plan_detail, name="plan"),
    path("<str:code>/bundle.json", views.bundle, name="bundle"),
    path("<str:code>/<str:action>/", views.plan_action, name="plan_action"),
]
