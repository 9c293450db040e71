from django.contrib import admin

from .models import Lead


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("id", "source_kind", "party", "unit", "discovered_on", "filing_deadline", "status")
    list_filter = ("source_kind", "status")
    search_fields = ("entity__name", "entity__uscc", "party_name", "description")
    raw_id_fields = ("entity",)
    readonly_fields = ("source_type", "source_id", "created_by", "created_at")

    def has_delete_permission(self, request, obj=None):
        return False
