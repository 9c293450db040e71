"""Daily jobs of 企业开办 (``jianguan sweep``). Idempotent: a second run on the same day changes nothing."""

from jianguan.core.sweep import job

from .services import notice_sweep


@job(220, "startup-simple-deregistration", "简易注销公告期满无异议的予以注销")
def approve_ended_notices(*, today, stdout) -> dict[str, int]:
    return {"approved": len(notice_sweep(today=today))}
