"""The project's URLconf with the sign-up routes included in the portal namespace, for the sign-up tests until
``jianguan/portal/urls.py`` includes ``signup.signup_urlpatterns`` itself (then the extra routes are harmless)."""

from django.urls import include, path

from jianguan import urls as project_urls
from jianguan.portal import signup
from jianguan.portal import urls as portal_urls

urlpatterns = [p for p in project_urls.urlpatterns if getattr(p, "namespace", None) != "portal"] + [
    path("", include(([*signup.signup_urlpatterns, *portal_urls.urlpatterns], "portal"))),
]
handler404 = project_urls.handler404
