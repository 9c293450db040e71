from django.urls import path

from . import views

app_name = "credit"

urlpatterns = [
    path("", views.home, name="home"),
    path("recompute/", views.risk_recompute, name="recompute"),
    path("reports/", views.reports, name="reports"),
    path("reports/remind/", views.reports_remind, name="reports_remind"),
    path("reports/zero/", views.zero, name="zero"),
    path("lists/", views.lists, name="lists"),
    path("serious/", views.serious, name="serious"),
    path("serious/<int:pk>/decide/", views.serious_decide, name="serious_decide"),
    path("repairs/", views.repairs, name="repairs"),
    path("repairs/<int:pk>/decide/", views.repair_decide, name="repair_decide"),
    path("instant/", views.instant, name="instant"),
    path("instant/<int:pk>/order/", views.instant_order, name="instant_order"),
    path("entities/<str:uscc>/", views.entity, name="entity"),
    path("entities/<str:uscc>/list/", views.entity_list_enter, name="entity_list_enter"),
    path("entities/<str:uscc>/list/<int:pk>/remove/", views.entity_list_remove, name="entity_list_remove"),
    path("entities/<str:uscc>/serious/", views.entity_serious_propose, name="entity_serious_propose"),
    path("entities/<str:uscc>/repair/", views.entity_repair_apply, name="entity_repair_apply"),
]
