import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    """Evidence files of each test go to a temporary folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def sms(settings):
    """Outgoing SMS captured in memory: a list of (phone, text)."""
    from jianguan.core.notify import MemorySMSBackend

    settings.JIANGUAN_SMS_BACKEND = "jianguan.core.notify.MemorySMSBackend"
    MemorySMSBackend.outbox = []
    return MemorySMSBackend.outbox


@pytest.fixture
def xh_handler(org):
    from .factories import handler

    return handler("xh_handler", "410402")


@pytest.fixture
def wd_handler(org):
    from .factories import handler

    return handler("wd_handler", "410403")


@pytest.fixture
def set_rule(db):
    """set_rule(key, value): a bureau's value for a rule from 2000-01-01."""
    import datetime as dt

    from jianguan.core.models import RuleValue

    def _set(key, value):
        RuleValue.objects.update_or_create(key=key, effective_from=dt.date(2000, 1, 1), defaults={"value": value})

    return _set


@pytest.fixture
def xh_head(org):
    """The head (负责人) of the 新华区 bureau: approves extensions of the report check."""
    from jianguan.core.tests.factories import staff

    return staff("xh_cpl_head", "410402", ["department_head"], name="新华区局负责人")
