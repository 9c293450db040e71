"""Daily jobs of complaints (``jianguan sweep``). Each is idempotent: a second run on the same day changes nothing."""

from __future__ import annotations

from jianguan.core.sweep import job

from . import services


@job(400, "complaints-deadlines", "补算落在新录入年度的投诉举报期限")
def fill_deadlines(*, today, stdout) -> dict:
    return {"filled": services.fill_pending_deadlines()}


@job(405, "complaints-mediation-pauses", "检定、检验、检测、鉴定期间尚未结束的调解：顺延调解期限")
def mediation_pauses(*, today, stdout) -> dict:
    return {"reclocked": services.reclock_paused_mediations(today=today)}


@job(410, "complaints-mediation-expiry", "终止自受理起满45个工作日仍未达成协议的调解，并告知双方")
def mediation_expiry(*, today, stdout) -> dict:
    return {"terminated": services.terminate_expired_mediations(today=today)}


@job(420, "complaints-reporter-clock", "补启动告知实名举报人的期限（自执法部门作出是否立案决定之日起 5 个工作日）")
def reporter_clock(*, today, stdout) -> dict:
    return {"started": services.reporter_clock_from_leads(today=today)}


@job(430, "complaints-overdue", "标记超过法定期限的投诉举报")
def overdue(*, today, stdout) -> dict:
    return {"overdue": services.flag_overdue(today=today)}


@job(440, "complaints-captcha-purge", "清除已过期的公众投诉验证码")
def captcha_purge(*, today, stdout) -> dict:
    from captcha.models import CaptchaStore
    from django.utils import timezone

    deleted, _ = CaptchaStore.objects.filter(expiration__lte=timezone.now()).delete()
    return {"purged": deleted}
