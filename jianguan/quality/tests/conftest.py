import pytest

from jianguan.core.tests.factories import staff


@pytest.fixture
def quality_officer(org):
    """An officer of the city's quality department with both quality roles: sees the whole city."""
    return staff("zl_quality_t", "410400ZL", ["quality_officer", "certification_supervisor"], credential=False,
                 name="质量科科员")


@pytest.fixture
def entity_in(org):
    from jianguan.core.models import Division, OrgUnit
    from jianguan.registry.tests.factories import EntityFactory

    def make(division: str, unit: str | None = None, **kwargs):
        return EntityFactory(unit=OrgUnit.objects.get(code=unit or division),
                             division=Division.objects.get(code=division), **kwargs)

    return make


@pytest.fixture
def park(quality_officer):
    from jianguan.quality import services

    return services.park_create(actor=quality_officer, name="宝丰县产业集聚区", division="410421", enterprises=4)
