"""Public: the inspection status of the lifts at an address — what the sign in every lift car says."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET
from django_ratelimit.decorators import ratelimit

from jianguan.core.views import rate_limited

from . import selectors


@require_GET
@ratelimit(key="ip", rate="30/m", method="GET", block=False)
def lifts(request):
    if getattr(request, "limited", False):
        return rate_limited(request)
    address = (request.GET.get("address") or "").strip()[:100]
    rows = selectors.public_lifts(address)
    message = ""
    if address and len(address) < 4:
        message = "请至少输入 4 个字的地址（如小区、楼栋名称）。"
    elif address and not rows:
        message = "未找到该地址的电梯，请核对地址。"
    return render(request, "equipment/public/lifts.html", {"address": address, "rows": rows, "message": message})
