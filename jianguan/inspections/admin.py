from django.contrib import admin

from .models import DrawBatch, InspectionItem, InspectionPlan, InspectionTask, InspectorConflict, ListingProposal


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "department", "object_type", "method", "is_active")
    list_filter = ("method", "is_active")
    search_fields = ("code", "name", "legal_basis")


@admin.register(InspectorConflict)
class InspectorConflictAdmin(admin.ModelAdmin):
    list_display = ("inspector", "entity", "reason", "declared_on", "valid_until")
    raw_id_fields = ("inspector", "entity")


class ReadOnlyAdmin(admin.ModelAdmin):
    """Plans, batches and tasks change only through the services (audited); the admin shows them."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InspectionPlan)
class InspectionPlanAdmin(ReadOnlyAdmin):
    list_display = ("code", "title", "unit", "year", "status")
    list_filter = ("status", "year")
    search_fields = ("code", "title")


@admin.register(DrawBatch)
class DrawBatchAdmin(ReadOnlyAdmin):
    list_display = ("plan", "number", "status", "commitment", "drawn_at")
    list_filter = ("status",)
    exclude = ("manifest", "bundle")


@admin.register(InspectionTask)
class InspectionTaskAdmin(ReadOnlyAdmin):
    list_display = ("batch", "entity", "status", "due_on", "overdue")
    list_filter = ("status", "overdue")
    raw_id_fields = ("entity",)


@admin.register(ListingProposal)
class ListingProposalAdmin(ReadOnlyAdmin):
    list_display = ("entity", "unit", "found_on", "status")
    list_filter = ("status",)
