import datetime as dt

import pytest

from jianguan.core.errors import ValidationFailed
from jianguan.standards import numbers, services
from jianguan.standards.models import EnterpriseStandard

LOCAL = ("DB41", "DB4104")


@pytest.mark.parametrize(("kind", "text", "normal"), [
    ("national", "GB/T 19001-2016", "GB/T 19001-2016"),
    ("national", "gb/t19001—2016", "GB/T 19001-2016"),
    ("national", "GB 2760-2014", "GB 2760-2014"),
    ("industry", "QB/T 1234-2010", "QB/T 1234-2010"),
    ("industry", "JB/T 10696.1-2007", "JB/T 10696.1-2007"),
    ("local", "DB41/T 1234-2016", "DB41/T 1234-2016"),
    ("local", "DB4104/T12-2021", "DB4104/T 12-2021"),
    ("group", "T/CAS 115-2005", "T/CAS 115-2005"),
    ("enterprise", "Q/PDSGL 001S-2021", "Q/PDSGL 001S-2021"),
])
def test_numbers_in_the_right_format_are_accepted(kind, text, normal):
    assert numbers.problem(kind, text, this_year=2026, local_prefixes=LOCAL) is None
    assert numbers.normalise(text) == normal


@pytest.mark.parametrize(("kind", "text", "reason"), [
    ("national", "DB41/T 1234-2016", "国家标准的编号规则"),
    ("national", "GB/T 19001", "国家标准的编号规则"),
    ("industry", "GB/T 1234-2010", "行业标准的编号规则"),
    ("local", "DB11/T 1234-2016", "DB11 不是"),
    ("group", "Q/ABC 1-2020", "团体标准的编号规则"),
    ("enterprise", "T/CAS 115-2005", "企业标准的编号规则"),
    ("enterprise", "Q/PDS 001-2031", "年号 2031 不合理"),
])
def test_numbers_in_the_wrong_format_are_refused_saying_why(kind, text, reason):
    assert reason in numbers.problem(kind, text, this_year=2026, local_prefixes=LOCAL)


@pytest.mark.django_db
def test_register_refuses_a_number_of_the_wrong_kind_on_its_field(bz_officer, firm):
    with pytest.raises(ValidationFailed, match="地方标准") as exc:
        services.standard_create(actor=bz_officer, entity=firm, kind="local", number="GB/T 19001-2016",
                                 title="质量管理体系", role="adopted", declared_on=dt.date(2026, 3, 1))
    assert exc.value.field == "number"
    services.standard_create(actor=bz_officer, entity=firm, kind="national", number="gb/t 19001-2016",
                             title="质量管理体系", role="adopted", declared_on=dt.date(2026, 3, 1))
    assert EnterpriseStandard.objects.get().number == "GB/T 19001-2016"
