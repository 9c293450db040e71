"""The admin site: Django's, with the workbench's lockout at its login and every write audited.

Every ``ModelAdmin`` registered on it — in any app, now or later — is given ``AuditedAdminMixin`` at registration,
so an add, change or delete in /admin/ writes an audit entry in the same transaction as the write, with the
fields' values before and after (personal data encrypted at rest masked), and an object's page showing personal data
is a logged read. One mechanism, no per-app code to forget (workday overrides, calendar years, leads,
campaigns and inspection objects were once edited there without a trace).
"""

from __future__ import annotations

from django.contrib import admin
from django.db import transaction
from django.forms.models import model_to_dict

from . import audit
from .forms import AdminLoginForm


def _encrypted_fields(model) -> list[str]:
    from .fields import EncryptedTextField

    return [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedTextField)]


def _values(obj) -> dict:
    """The object's own field values (many-to-many as lists of ids), JSON-ready; passwords never; personal data
    encrypted at rest only masked (#14: the audit log is kept in clear)."""
    from jianguan.registry.masking import mask_personal

    data = model_to_dict(obj)
    encrypted = set(_encrypted_fields(type(obj)))
    for name in list(data):
        if "password" in name:
            data[name] = "***"
        elif name in encrypted:
            data[name] = mask_personal(name, data[name])
        elif isinstance(data[name], list):
            data[name] = sorted(getattr(v, "pk", v) for v in data[name])
    return audit._normalise(data)


class AuditedAdminMixin:
    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """An object's page shows its personal data in clear (a staff member's phone, …): a logged read (#14),
        like the workbench pages that show such data."""
        if obj is not None and obj.pk is not None:
            shown = [name for name in _encrypted_fields(type(obj)) if getattr(obj, name, "")]
            if shown:
                audit.record_personal_read(actor=request.user, obj=obj, fields=shown,
                                           unit=getattr(obj, "unit_id", None))
        return super().render_change_form(request, context, add=add, change=change, form_url=form_url, obj=obj)

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            request.__dict__.setdefault("_jianguan_admin_before", {})[(obj._meta.label_lower, str(obj.pk))] = _values(obj)
        return obj

    def _audit(self, request, obj, verb: str, changes: dict) -> None:
        with transaction.atomic():
            audit.record(actor=request.user, action=f"admin.{obj._meta.label_lower}.{verb}", obj=obj, changes=changes)

    def log_addition(self, request, obj, message):
        entry = super().log_addition(request, obj, message)
        self._audit(request, obj, "added", {k: [None, v] for k, v in _values(obj).items()})
        return entry

    def log_change(self, request, obj, message):
        entry = super().log_change(request, obj, message)
        before = getattr(request, "_jianguan_admin_before", {}).get((obj._meta.label_lower, str(obj.pk)), {})
        obj_now = type(obj)._default_manager.filter(pk=obj.pk).first() or obj  # m2m are saved after save_model
        self._audit(request, obj, "changed", audit.diff(before, _values(obj_now)) if before else
                    {k: [None, v] for k, v in _values(obj_now).items()})
        return entry

    def log_deletions(self, request, queryset):
        entries = super().log_deletions(request, queryset)
        for obj in queryset:
            self._audit(request, obj, "deleted", {k: [v, None] for k, v in _values(obj).items()})
        return entries


class AuditedAdminSite(admin.AdminSite):
    site_header = "监管 · 系统管理"
    site_title = "监管系统管理"
    index_title = "系统配置"
    login_form = AdminLoginForm

    def register(self, model_or_iterable, admin_class=None, **options):
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdminMixin):
            admin_class = type(admin_class.__name__, (AuditedAdminMixin, admin_class), {"__module__": admin_class.__module__})
        return super().register(model_or_iterable, admin_class, **options)
