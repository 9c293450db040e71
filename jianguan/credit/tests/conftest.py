import pytest


@pytest.fixture(autouse=True)
def _credit_urls(settings):
    settings.ROOT_URLCONF = "jianguan.credit.tests.urls"
