import pytest

from jianguan.core.tests.factories import staff


@pytest.fixture
def bz_officer(org):
    return staff("bz_officer_t", "410400BZ", ["standards_officer"], credential=False, name="标准化科科员")


@pytest.fixture
def firm(org):
    from jianguan.registry.tests.factories import EntityFactory

    return EntityFactory()
