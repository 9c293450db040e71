from django.contrib import admin

from .models import Application, CompanionItem, Decision, NameRule, Objection


@admin.register(NameRule)
class NameRuleAdmin(admin.ModelAdmin):
    list_display = ("word", "kind", "reason", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("word", "reason")


class DecisionInline(admin.TabularInline):
    model = Decision
    extra = 0
    can_delete = False
    readonly_fields = ("action", "actor_label", "message", "reasons", "at")
    exclude = ("actor",)


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    # Read-only: applications change state only through the services (audited state machine).
    list_display = ("number", "kind", "state", "name", "registration_authority", "submitted_at", "decided_at")
    list_filter = ("kind", "state")
    search_fields = ("number", "name")
    inlines = [DecisionInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(CompanionItem)
admin.site.register(Objection)
