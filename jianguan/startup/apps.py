from django.apps import AppConfig


class StartupConfig(AppConfig):
    name = "jianguan.startup"
    label = "startup"
    verbose_name = "企业开办"
