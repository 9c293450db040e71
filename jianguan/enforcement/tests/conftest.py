import pytest


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def officers(district_officer):
    """Two officers of 新华区 with valid credentials: the district officer persona and a colleague."""
    from .factories import officer

    return [district_officer, officer("xh_officer2")]


@pytest.fixture
def legal(org):
    from .factories import reviewer

    return reviewer()


@pytest.fixture
def xh_head(org):
    from .factories import head

    return head()


@pytest.fixture
def set_rule(db):
    import datetime as dt

    from jianguan.core.models import RuleValue

    def _set(key, value):
        RuleValue.objects.update_or_create(key=key, effective_from=dt.date(2000, 1, 1), defaults={"value": value})

    return _set
