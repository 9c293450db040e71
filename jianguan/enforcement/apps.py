from django.apps import AppConfig


class EnforcementConfig(AppConfig):
    name = "jianguan.enforcement"
    label = "enforcement"
    verbose_name = "行政执法"

    def ready(self) -> None:
        from . import (
            document_models,  # noqa: F401  (Document, Publication: registers the models)
            publication,
            rules,  # noqa: F401  (declares the enforcement rules)
        )

        publication.connect()  # its rules, the daily job, the credit-repair hook, the credit-record provider
