from django.urls import path

from . import views

app_name = "workplan"

urlpatterns = [
    path("", views.plan_list, name="plans"),
    path("new/", views.plan_new, name="plan_new"),
    path("review/", views.review_queue, name="review"),
    path("reports/<int:pk>/review/", views.report_review, name="report_review"),
    path("files/<int:pk>/", views.report_file, name="file"),
    path("notices/", views.notice_list, name="notices"),
    path("notices/<int:pk>/read/", views.notice_read, name="notice_read"),
    path("<str:code>/", views.plan_detail, name="plan"),
    path("<str:code>/refresh/", views.plan_refresh, name="refresh"),
    path("<str:code>/report.<str:fmt>", views.progress_report, name="progress_report"),
    path("<str:code>/tasks/<str:task_code>/", views.task_detail, name="task"),
    path("<str:code>/tasks/<str:task_code>/edit/", views.task_edit, name="task_edit"),
]
