from django.contrib import admin

from .models import Device


@admin.register(Device)
class DeviceAdmin(admin.ModelAdmin):
    list_display = ("code", "category", "entity", "status", "next_due")
    search_fields = ("code", "registration_no", "location")
    list_filter = ("status",)
    raw_id_fields = ("entity", "unit")
