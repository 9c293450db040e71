from django.contrib import admin

from .models import SmallRegistration


@admin.register(SmallRegistration)
class SmallRegistrationAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "name", "county", "valid_until", "status")
    list_filter = ("kind", "status")
    search_fields = ("number", "name")
    raw_id_fields = ("entity",)
