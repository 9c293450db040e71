from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "jianguan.registry"
    label = "registry"
    verbose_name = "市场主体登记"
