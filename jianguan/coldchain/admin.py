from django.contrib import admin

from .models import Batch


@admin.register(Batch)
class BatchAdmin(admin.ModelAdmin):
    list_display = ("tracing_code", "product", "importer", "status", "entered_on")
    search_fields = ("tracing_code", "product")
    raw_id_fields = ("importer",)
