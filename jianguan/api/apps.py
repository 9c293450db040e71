from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "jianguan.api"
    label = "api"
    verbose_name = "API"
