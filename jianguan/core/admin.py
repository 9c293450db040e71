"""System administration (/admin/), for the system administrator: org units, staff, calendar, rules.

Business data and the audit log are deliberately not registered here (separation of the three administrators).
"""

from django.contrib import admin

from . import services
from .models import CalendarYear, Division, OrgUnit, RuleValue, StaffProfile, WorkdayOverride

admin.site.site_header = "监管 · 系统管理"
admin.site.site_title = "监管系统管理"
admin.site.index_title = "系统配置"


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "level", "parent")
    search_fields = ("code", "name")


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "parent", "doc_prefix", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("code", "name")
    list_select_related = ("parent",)
    autocomplete_fields = ("parent",)

    def save_model(self, request, obj, form, change):
        services.org_unit_save(actor=request.user, unit=obj)


@admin.register(StaffProfile)
class StaffProfileAdmin(admin.ModelAdmin):
    list_display = ("staff_code", "user", "unit", "title", "credential_no", "credential_expiry")
    search_fields = ("staff_code", "user__username", "user__first_name")
    list_select_related = ("user", "unit")
    list_filter = ("unit__kind",)

    def save_model(self, request, obj, form, change):
        if change:
            services.staff_update(
                actor=request.user,
                profile=obj,
                **{f: getattr(obj, f) for f in form.changed_data if f in services.STAFF_FIELDS},
            )
        else:
            super().save_model(request, obj, form, change)
            from . import audit

            audit.record(actor=request.user, action="core.staff.created", obj=obj, unit=obj.unit)


@admin.register(WorkdayOverride)
class WorkdayOverrideAdmin(admin.ModelAdmin):
    list_display = ("date", "is_workday", "note")
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        services.workday_set(actor=request.user, date=obj.date, is_workday=obj.is_workday, note=obj.note)


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "note")


@admin.register(RuleValue)
class RuleValueAdmin(admin.ModelAdmin):
    list_display = ("key", "value", "effective_from", "note")
    list_filter = ("key",)

    def save_model(self, request, obj, form, change):
        services.rule_set(
            actor=request.user, key=obj.key, value=obj.value, effective_from=obj.effective_from, note=obj.note
        )
