from django.contrib.auth import views as auth_views
from django.urls import path

from . import views
from .reset import reset_urlpatterns
from .signup import signup_urlpatterns

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("notices/", views.notices, name="notices"),
    path("notices/<int:pk>/", views.notice, name="notice"),
    path("search/", views.search, name="search"),
    path("entities/<str:uscc>/", views.entity, name="entity"),
    path("entities/<str:uscc>/licences/", views.entity_licences, name="entity_licences"),
    path("entities/<str:uscc>/report.pdf", views.entity_report_pdf, name="entity_report"),
    path("open-data/", views.open_data, name="open_data"),
    path("open-data/docs/", views.open_data_docs, name="open_data_docs"),
    path("open-data/files/<str:name>", views.open_data_file, name="open_data_file"),
    path("account/", views.account, name="account"),
    path("account/login/", views.PublicLoginView.as_view(), name="login"),
    path("account/logout/", auth_views.LogoutView.as_view(next_page="/"), name="logout"),
    path("account/enterprise/signup/", views.enterprise_signup, name="enterprise_signup"),
    path("account/enterprise/verify/", views.enterprise_verify, name="enterprise_verify"),
    path("account/replies/", views.replies, name="replies"),
    path("account/record/", views.my_record, name="my_record"),
    *signup_urlpatterns,
    *reset_urlpatterns,
]
