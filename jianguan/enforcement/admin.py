from django.contrib import admin

from .models import Campaign, Case, CaseOfficer, ClockPause, Lead, Penalty, Seizure


class ReadOnlyAdmin(admin.ModelAdmin):
    """Case data changes only through the services (audited state machine); the admin is for looking."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ("id", "source_kind", "party", "unit", "discovered_on", "filing_deadline", "status")
    list_filter = ("source_kind", "status")
    search_fields = ("entity__name", "entity__uscc", "party_name", "description")
    raw_id_fields = ("entity",)
    readonly_fields = ("source_type", "source_id", "created_by", "created_at")

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "starts_on", "ends_on", "is_active")
    list_filter = ("is_active",)


class OfficerInline(admin.TabularInline):
    model = CaseOfficer
    extra = 0
    can_delete = False
    readonly_fields = ("user", "is_lead", "credential_no", "assigned_on")


class PauseInline(admin.TabularInline):
    model = ClockPause
    fk_name = "case"
    extra = 0
    can_delete = False
    readonly_fields = ("reason", "starts_on", "ends_on", "note")


@admin.register(Case)
class CaseAdmin(ReadOnlyAdmin):
    list_display = ("number", "party_name", "case_type", "unit", "filed_on", "decision_deadline", "status", "overdue")
    list_filter = ("status", "procedure", "overdue", "case_type")
    search_fields = ("number", "party_name")
    inlines = (OfficerInline, PauseInline)


@admin.register(Penalty)
class PenaltyAdmin(ReadOnlyAdmin):
    list_display = ("decision_no", "party_name", "decided_on", "fine_amount", "payment_status", "published_on")
    list_filter = ("payment_status", "is_light")
    search_fields = ("decision_no", "party_name")


@admin.register(Seizure)
class SeizureAdmin(ReadOnlyAdmin):
    list_display = ("case", "measure", "decided_on", "ends_on", "status", "expired")
    list_filter = ("status", "expired")
