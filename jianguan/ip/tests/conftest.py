import datetime as dt

import pytest

from jianguan.core.tests.factories import staff

FILED = dt.date(2026, 3, 5)  # a Thursday; 90 days later (3 June 2026) is a working day


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def ip_officer(org):
    """An officer of the city bureau's IP department (知识产权科): sees the whole city."""
    return staff("ip_officer_t", "410400ZC", ["ip_officer"], credential=False, name="知识产权科科员")


@pytest.fixture
def xh_officers(district_officer):
    from jianguan.enforcement.tests.factories import officer

    return [district_officer, officer("xh_officer2")]


@pytest.fixture
def entity_in(org):
    """entity_in("410425") → an enterprise registered in that division, supervised by its district bureau."""
    from jianguan.core.models import Division, OrgUnit
    from jianguan.registry.tests.factories import EntityFactory

    def make(division: str, unit: str | None = None, **kwargs):
        return EntityFactory(unit=OrgUnit.objects.get(code=unit or division),
                             division=Division.objects.get(code=division), **kwargs)

    return make


@pytest.fixture
def ip_case(xh_officers):
    """A trademark case of 新华区 filed on 5 March 2026, tagged 护航."""
    from jianguan.enforcement.models import Campaign
    from jianguan.enforcement.tests.factories import filed_case

    return filed_case(actor=xh_officers[0], officers=xh_officers, on=FILED, case_type="trademark",
                      campaigns=list(Campaign.objects.filter(code="huhang")))
