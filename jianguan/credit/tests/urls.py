"""The project's URLs, plus the credit self-service pages at /credit/ if the project does not mount them yet."""

from django.urls import include, path

from jianguan.urls import handler403, handler404, handler500  # noqa: F401
from jianguan.urls import urlpatterns as project_urls

_mounted = any(getattr(p, "namespace", None) == "credit_public" for p in project_urls)
urlpatterns = list(project_urls) if _mounted else [
    path("credit/", include("jianguan.credit.public_urls")), *project_urls]
