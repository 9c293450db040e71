from django.urls import path

from . import views

app_name = "equipment"

urlpatterns = [
    path("", views.device_list, name="device_list"),
    path("new/", views.device_new, name="device_new"),
    path("due/", views.due, name="due"),
    path("import/", views.import_view, name="import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("export.xlsx", views.export, name="export"),
    path("certificates/", views.certificate_list, name="certificates"),
    path("hazards/", views.hazard_list, name="hazards"),
    path("hazards/<int:pk>/<str:action>/", views.hazard_action, name="hazard_action"),
    path("accidents/", views.accident_list, name="accidents"),
    path("accidents/<int:pk>/penalty/", views.accident_penalty, name="accident_penalty"),
    path("orders/", views.order_list, name="orders"),
    path("orders/<int:pk>.<str:fmt>", views.order_download, name="order_download"),
    path("campaigns/", views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/", views.device_detail, name="device_detail"),
    path("<int:pk>/overdue/", views.overdue_act, name="overdue_act"),
    path("<int:pk>/order/", views.order_issue, name="order_issue"),
    path("<int:pk>/<str:action>/", views.device_action, name="device_action"),
]
