import datetime as dt
from decimal import Decimal

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.ip import services
from jianguan.ip.models import IPEnterprise, PatentPledge

pytestmark = pytest.mark.django_db


def test_same_recognition_same_year_is_refused(ip_officer, entity_in):
    firm = entity_in("410402", unit="41040201")
    services.ip_enterprise_create(actor=ip_officer, entity=firm, level="national_adv", year=2026, document_no="1号")
    with pytest.raises(ValidationFailed, match="不能重复登记") as exc:
        services.ip_enterprise_create(actor=ip_officer, entity=firm, level="national_adv", year=2026,
                                      document_no="2号")
    assert exc.value.field == "level"
    # Another level, or the next year, is a different recognition.
    services.ip_enterprise_create(actor=ip_officer, entity=firm, level="national_demo", year=2026, document_no="3号")
    services.ip_enterprise_create(actor=ip_officer, entity=firm, level="national_adv", year=2027, document_no="4号")
    assert IPEnterprise.objects.count() == 3


def test_pledge_with_a_bad_patent_number_is_refused(ip_officer, entity_in):
    firm = entity_in("410402", unit="41040201")
    with pytest.raises(ValidationFailed, match="校验位") as exc:
        services.patent_pledge_create(actor=ip_officer, pledge_no="Y2026001", entity=firm,
                                      patents=["ZL201080063196.9", "ZL201080063196.1"], pledgee="某银行",
                                      amount=Decimal("500"), registered_on=dt.date(2026, 3, 1))
    assert exc.value.field == "patents"
    assert not PatentPledge.objects.exists()


def test_district_officer_cannot_register_an_entity_outside_their_district(entity_in, district_officer):
    from jianguan.core.tests.factories import staff

    officer = staff("wd_ip", "410403", ["ip_officer"], credential=False)
    firm = entity_in("410402", unit="41040201")
    with pytest.raises(ValidationFailed, match="不在本单位监管范围内"):
        services.ip_enterprise_create(actor=officer, entity=firm, level="national_adv", year=2026, document_no="1号")
