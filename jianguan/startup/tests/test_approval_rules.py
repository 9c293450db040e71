"""Each smart-approval rule fails with a reason the registrar and the applicant can read."""

from decimal import Decimal

import pytest

from jianguan.core.services import rule_set
from jianguan.startup import approval
from jianguan.startup.models import Application

from . import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def user(org):
    return factories.applicant()


def results(app):
    return {r["code"]: r for r in approval.evaluate(app)}


def test_a_clean_standard_application_passes_every_rule(user):
    res = results(factories.application(user))
    assert all(r["passed"] for r in res.values()), res
    assert set(res) == {
        "name_clean",
        "standard_form",
        "capital_range",
        "no_prior_permit",
        "shareholders",
        "legal_rep_id",
        "address",
        "not_duplicate",
    }


def test_name_rule_fails_on_a_similar_name(user):
    factories.entity("平顶山市鹰城商贸有限公司", division="410402", industry_code="51")
    res = results(factories.application(user, trade="鹰城"))
    assert res["name_clean"]["reasons"] == ["与『平顶山市鹰城商贸有限公司』近似：字号相同"]


def test_non_standard_form_fails(user):
    res = results(factories.application(user, form="商行"))
    assert not res["standard_form"]["passed"]
    assert "不是标准组织形式" in res["standard_form"]["reasons"][0]


def test_capital_above_the_configurable_limit_fails(user, sysadmin):
    import datetime as dt

    app = factories.application(user, capital="20000")
    assert "超过自动核准上限10,000万元" in results(app)["capital_range"]["reasons"][0]
    rule_set(actor=sysadmin, key="startup.auto_approval_max_capital", value=50000, effective_from=dt.date(2000, 1, 1))
    assert results(app)["capital_range"]["passed"]


def test_prior_permit_in_scope_fails_but_a_later_licence_does_not(user):
    res = results(factories.application(user, scope="危险化学品经营；日用百货销售"))
    assert res["no_prior_permit"]["reasons"] == ["经营范围含「危险化学品」，需先取得危险化学品经营许可（应急管理部门）"]
    assert results(factories.application(user, trade="白鹭", scope="食品销售"))["no_prior_permit"]["passed"]


def test_shares_must_sum_to_one_hundred_percent(user):
    res = results(factories.application(user, shares=("60", "30")))
    assert "股东出资比例合计为 90%，应为 100%" in res["shareholders"]["reasons"]


def test_missing_shareholders_fail(user):
    app = factories.application(user, shares=())
    assert results(app)["shareholders"]["reasons"] == ["未填写股东（发起人）"]


def test_invalid_legal_rep_id_fails(user):
    res = results(factories.application(user, id_no="410402198506120011"))
    assert res["legal_rep_id"]["reasons"] == ["法定代表人身份证号码校验码不正确"]


def test_address_outside_pingdingshan_fails(user):
    from jianguan.core.models import Division

    Division.objects.get_or_create(code="410102", defaults={"name": "中原区", "level": 3, "parent_id": "410100"})
    res = results(factories.application(user, division="410102"))
    assert res["address"]["reasons"] == ["住所应位于平顶山市所辖县（市、区）"]


def test_duplicate_pending_application_fails(user):
    other = factories.application(factories.applicant("other_t", phone="13900000002"), trade="青松")
    Application.objects.filter(pk=other.pk).update(state=Application.State.IN_REVIEW, number="KB2026999999")
    res = results(factories.application(user, trade="青松"))
    assert res["not_duplicate"]["reasons"] == ["存在尚未办结的重复申请（KB2026999999）"]


def test_capital_must_match_shareholders(user):
    app = factories.application(user)
    Application.objects.filter(pk=app.pk).update(registered_capital=Decimal("200"))
    app.refresh_from_db()
    assert any("与注册资本" in r for r in results(app)["shareholders"]["reasons"])
