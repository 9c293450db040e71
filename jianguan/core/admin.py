"""System administration (/admin/), for the system administrator: org units, staff, calendar, rules.

Business data and the audit log are deliberately not registered here (separation of the three administrators).
"""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm

from . import services
from .models import CalendarYear, Division, OrgUnit, RuleValue, StaffProfile, WorkdayOverride

User = get_user_model()

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


class SeparatedUserChangeForm(UserChangeForm):
    """The user form of /admin/, refusing a set of roles that breaks the separation of the three administrators."""

    def clean_groups(self):
        from .separation import role_conflict

        groups = self.cleaned_data.get("groups")
        problem = role_conflict([g.name for g in groups or []])
        if problem:
            raise forms.ValidationError(problem)
        return groups


class PhoneLoginUserCreationForm(AdminUserCreationForm):
    """Django's add-user form, knowing that a login name typed as a mobile number is stored as its keyed hash
    (``security.login_name``, #14): a number already taken is refused as a duplicate, not a database error."""

    def clean_username(self):
        from .security import login_name

        username = super().clean_username()
        if username and login_name(username) != username and User.objects.filter(username=login_name(username)).exists():
            raise forms.ValidationError(self.instance.unique_error_message(User, ["username"]))
        return username


class AuditedUserAdmin(UserAdmin):
    """Django's user admin, with every save audited and without the power to make superusers.

    The system administrator manages logins; superuser status would bypass the separation of the three
    administrators, so only a superuser can grant it (from the command line: ``jianguan createsuperuser``).
    """

    AUDITED = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")
    form = SeparatedUserChangeForm
    add_form = PhoneLoginUserCreationForm

    def get_search_results(self, request, queryset, search_term):
        """A search for a mobile number finds the account that logs in with it (its login name is the number's keyed
        hash, #14); any other term searches as Django does."""
        from .security import login_name

        mapped = login_name(search_term.strip())
        if search_term.strip() and mapped != search_term.strip():
            return queryset.filter(username=mapped), False
        return super().get_search_results(request, queryset, search_term)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += ["is_superuser", "user_permissions", "last_login", "date_joined"]
        if obj is not None and obj.pk == request.user.pk:
            # Nobody grants themselves a role (or the staff flag): another administrator must.
            fields += ["groups", "is_staff", "is_active"]
        return fields

    def save_model(self, request, obj, form, change):
        from . import audit

        before = audit.snapshot(User.objects.get(pk=obj.pk), self.AUDITED) if change else {}
        before_groups = sorted(User.objects.get(pk=obj.pk).groups.values_list("name", flat=True)) if change else []
        super().save_model(request, obj, form, change)
        request._jianguan_user_audit = (obj, before, before_groups, change)

    def save_related(self, request, form, formsets, change):
        from django.db import transaction

        from . import audit

        super().save_related(request, form, formsets, change)
        obj, before, before_groups, change = request._jianguan_user_audit
        changes = audit.diff(before, audit.snapshot(obj, self.AUDITED))
        groups = sorted(obj.groups.values_list("name", flat=True))
        if groups != before_groups:
            changes["groups"] = [before_groups, groups]
        if "password" in form.changed_data or not change:
            changes["password"] = ["***", "***（已设置）"]
        with transaction.atomic():
            audit.record(actor=request.user, action="core.user.updated" if change else "core.user.created", obj=obj,
                         changes=changes)

    def delete_model(self, request, obj):
        from django.db import transaction

        from . import audit

        with transaction.atomic():
            audit.record(actor=request.user, action="core.user.deleted", obj=obj,
                         changes={"username": [obj.username, None]})
            super().delete_model(request, obj)


admin.site.unregister(User)
admin.site.register(User, AuditedUserAdmin)
