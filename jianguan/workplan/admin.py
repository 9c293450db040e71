from django.contrib import admin

from .models import Area, Milestone, Plan, Target, Task


class AreaInline(admin.TabularInline):
    model = Area
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ("code", "year", "title", "unit", "status")
    list_filter = ("status", "year")
    inlines = [AreaInline]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class TargetInline(admin.TabularInline):
    model = Target
    extra = 0
    exclude = ("reported_value", "reported_on")


@admin.register(Task)
class TaskAdmin(admin.ModelAdmin):
    list_display = ("plan", "code", "title", "lead_unit", "lead_person", "status", "progress", "late")
    list_filter = ("plan", "status", "late", "lead_unit")
    search_fields = ("title", "code")
    filter_horizontal = ("co_units",)
    raw_id_fields = ("lead_person", "leader")
    inlines = [MilestoneInline, TargetInline]
