from django.urls import path

from . import views

app_name = "startup"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("applications/", views.application_list, name="list"),
    path("stats/", views.stats, name="stats"),
    path("applications/<int:pk>/", views.detail, name="detail"),
    path("applications/<int:pk>/licence.pdf", views.licence_pdf, name="licence"),
    path("applications/<int:pk>/items/<str:code>/", views.companion_update, name="companion"),
    path("applications/<int:pk>/<str:action>/", views.decide, name="decide"),
]
