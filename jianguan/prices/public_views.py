"""The public side of price monitoring: the price board (anyone) and an outlet's own daily report (its enterprise
account). The board shows goods and prices only — no outlet's personal data."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone

from jianguan.core.errors import DomainError
from jianguan.credit.public_views import enterprise_required

from . import selectors, services
from .forms import PortalReportForm
from .models import Goods, Outlet, PriceReport, ReportSource


def board(request):
    return render(request, "prices/public/board.html", {"board": selectors.board()})


@enterprise_required
def report(request):
    outlet = Outlet.objects.select_related("entity").filter(entity=request.entity).first()
    if outlet is None:
        raise PermissionDenied("本企业不是价格监测点")
    goods = list(Goods.objects.filter(is_active=True))
    form = PortalReportForm(request.POST or None, goods=goods)
    if request.method == "POST" and form.is_valid():
        prices = form.prices()
        if not prices:
            form.add_error(None, "请至少填写一种商品的价格")
        else:
            try:
                with transaction.atomic():  # the day's report is kept whole or not at all
                    for g, price in prices:
                        services.report_submit(actor=request.user, outlet=outlet, goods=g, price=price,
                                               price_unit=g.price_unit, reported_on=form.cleaned_data["reported_on"],
                                               source=ReportSource.PORTAL)
            except DomainError as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, f"已报送 {len(prices)} 种商品的价格")
                return redirect("prices_public:report")
    recent = (PriceReport.objects.filter(outlet=outlet).select_related("goods")
              .order_by("-reported_on", "goods__sort")[:40])
    return render(request, "prices/public/report.html", {"form": form, "outlet": outlet, "recent": recent,
                                                          "today": timezone.localdate()})
