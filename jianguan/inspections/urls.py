"""Workbench pages, mounted at /workbench/inspections/."""

from django.urls import path

from . import views

app_name = "inspections"

urlpatterns = [
    path("", views.plan_list, name="plan_list"),
    path("plans/new/", views.plan_create, name="plan_create"),
    path("plans/<str:code>/", views.plan_detail, name="plan_detail"),
    path("plans/<str:code>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<str:code>/publish/", views.plan_publish, name="plan_publish"),
    path("plans/<str:code>/batches/new/", views.batch_create, name="batch_create"),
    path("batches/<int:pk>/", views.batch_detail, name="batch_detail"),
    path("batches/<int:pk>/edit/", views.batch_edit, name="batch_edit"),
    path("batches/<int:pk>/freeze/", views.batch_freeze, name="batch_freeze"),
    path("batches/<int:pk>/draw/", views.batch_draw, name="batch_draw"),
    path("batches/<int:pk>/publish/", views.batch_publish, name="batch_publish"),
    path("batches/<int:pk>/redraw/", views.batch_redraw, name="batch_redraw"),
    path("batches/<int:pk>/publish-results/", views.batch_publish_results, name="batch_publish_results"),
    path("batches/<int:pk>/<str:kind>.json", views.batch_file, name="batch_file"),
    path("tasks/", views.task_list, name="task_list"),
    path("today/", views.today, name="today"),
    path("tasks/<int:pk>/", views.task_detail, name="task_detail"),
    path("tasks/<int:pk>/confirm/", views.task_confirm, name="task_confirm"),
    path("tasks/<int:pk>/upload/", views.task_upload, name="task_upload"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("items/", views.item_list, name="item_list"),
    path("items/new/", views.item_edit, name="item_create"),
    path("items/<int:pk>/", views.item_edit, name="item_edit"),
    path("inspectors/", views.inspector_list, name="inspector_list"),
    path("conflicts/", views.conflict_list, name="conflict_list"),
    path("proposals/", views.proposal_list, name="proposal_list"),
    path("proposals/<int:pk>/<str:decision>/", views.proposal_decide, name="proposal_decide"),
]
