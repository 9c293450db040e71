"""Bad input to the sampling flow is refused with a Chinese message naming what is wrong."""

import datetime as dt

import pytest

from jianguan.core.errors import TransitionNotAllowed, ValidationFailed
from jianguan.sampling import services

from .factories import TODAY, at_lab, drawn_plan, supervisor, values

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab_sample(org):
    user = supervisor()
    plan = drawn_plan(user)
    return user, plan, at_lab(user, plan.samples.order_by("id").first())


def _messages(exc) -> str:
    return "；".join(d["message"] for d in exc.value.details)


def test_a_result_missing_a_required_item_is_refused(lab_sample):
    user, plan, sample = lab_sample
    with pytest.raises(ValidationFailed) as exc:
        services.result_record(actor=user, sample=sample, values=values(plan.standard, 吸气阻力=None), lab="中心",
                               report_no="R", tested_on=dt.date(2026, 9, 10), today=TODAY)
    assert "缺少必检项目「吸气阻力」的结果" in _messages(exc)
    assert not sample.results.exists()


def test_a_value_in_the_wrong_unit_is_refused(lab_sample):
    user, plan, sample = lab_sample
    with pytest.raises(ValidationFailed) as exc:
        services.result_record(actor=user, sample=sample, values=values(plan.standard, 吸气阻力=("0.15", "kPa")),
                               lab="中心", report_no="R", tested_on=dt.date(2026, 9, 10), today=TODAY)
    assert "「吸气阻力」的单位应为 Pa，提交的是 kPa" in _messages(exc)


def test_a_value_that_is_not_a_number_is_refused(lab_sample):
    user, plan, sample = lab_sample
    with pytest.raises(ValidationFailed) as exc:
        services.result_record(actor=user, sample=sample, values=values(plan.standard, 过滤效率=("合格", "%")),
                               lab="中心", report_no="R", tested_on=dt.date(2026, 9, 10), today=TODAY)
    assert "不是数值" in _messages(exc)


def test_results_need_the_sample_at_the_lab_and_only_once(org):
    user = supervisor()
    plan = drawn_plan(user)
    sample = plan.samples.order_by("id").first()
    with pytest.raises(TransitionNotAllowed):
        services.result_record(actor=user, sample=sample, values=values(plan.standard), lab="中心", report_no="R",
                               tested_on=dt.date(2026, 9, 10), today=TODAY)
    sample = at_lab(user, sample)
    services.result_record(actor=user, sample=sample, values=values(plan.standard), lab="中心", report_no="R",
                           tested_on=dt.date(2026, 9, 10), today=TODAY)
    with pytest.raises(TransitionNotAllowed):
        services.result_record(actor=user, sample=sample, values=values(plan.standard), lab="中心", report_no="R",
                               tested_on=dt.date(2026, 9, 10), today=TODAY)


def test_a_sampling_record_with_impossible_dates_or_one_signature_is_refused(org):
    user = supervisor()
    sample = drawn_plan(user).samples.order_by("id").first()
    with pytest.raises(ValidationFailed) as exc:
        services.sample_record(actor=user, sample=sample, product_name="口罩", batch_no="B1",
                               produced_on=dt.date(2026, 9, 5), quantity="40 只", sampled_on=dt.date(2026, 9, 1),
                               seal_no="", sampler_signed=True, producer_signed=False, today=TODAY)
    text = _messages(exc)
    assert "晚于抽样日期" in text and "封样编号" in text and "双方签字" in text


def test_a_broken_seal_stops_the_conclusion(org):
    user = supervisor()
    plan = drawn_plan(user)
    sample = at_lab(user, plan.samples.order_by("id").first())
    services.custody_add(actor=user, sample=sample, on=dt.date(2026, 9, 2), handed_by="检验中心收样室",
                         received_by="检验室", seal_intact=False, today=TODAY)
    with pytest.raises(TransitionNotAllowed) as exc:
        services.result_record(actor=user, sample=sample, values=values(plan.standard), lab="中心", report_no="R",
                               tested_on=dt.date(2026, 9, 10), today=TODAY)
    assert "封样破损" in exc.value.message


def test_a_limit_of_another_standard_or_an_unknown_sector_is_refused_in_a_plan(org):
    from jianguan.sampling.models import ProductCategory

    from .factories import standard

    user = supervisor()
    std = standard()
    other = ProductCategory.objects.create(code="X", name="其他", sector="product")
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(actor=user, sector="product", year=2026, code="P1", title="t", category=other,
                             standard=std, unit=user.profile.unit, quotas={"410402": 1})
    assert "不是「其他」的判定标准" in exc.value.message
    with pytest.raises(ValidationFailed) as exc:
        services.plan_create(actor=user, sector="cosmetics", year=2026, code="P1", title="t", category=std.category,
                             standard=std, unit=user.profile.unit, quotas={"410402": 1})
    assert "未注册" in exc.value.message
