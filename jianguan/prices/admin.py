from django.contrib import admin

from .models import Goods, Outlet, PriceAlert, PriceReport


@admin.register(Goods)
class GoodsAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "category", "spec", "price_unit", "is_active")


@admin.register(Outlet)
class OutletAdmin(admin.ModelAdmin):
    list_display = ("entity", "kind", "unit")
    raw_id_fields = ("entity",)


@admin.register(PriceReport)
class PriceReportAdmin(admin.ModelAdmin):
    list_display = ("outlet", "goods", "price", "reported_on", "source")
    raw_id_fields = ("outlet",)


@admin.register(PriceAlert)
class PriceAlertAdmin(admin.ModelAdmin):
    list_display = ("outlet", "goods", "started_on", "last_on", "ended_on", "peak_price", "lead")
    raw_id_fields = ("outlet", "lead")
