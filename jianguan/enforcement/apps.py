from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "jianguan.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self) -> None:
        from . import rules  # noqa: F401  (declares the enforcement rules)
