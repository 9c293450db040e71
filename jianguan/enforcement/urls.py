from django.urls import path

from . import views

app_name = "enforcement"

urlpatterns = [
    path("leads/", views.lead_list, name="leads"),
    path("leads/new/", views.lead_new, name="lead_new"),
    path("leads/<int:pk>/", views.lead_detail, name="lead"),
    path("leads/<int:pk>/<str:action>/", views.lead_action, name="lead_action"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/act/<str:action>/", views.case_action, name="case_action"),
    path("board/", views.board, name="board"),
    path("reviews/", views.review_queue, name="reviews"),
    path("simplified/", views.simplified, name="simplified"),
]
