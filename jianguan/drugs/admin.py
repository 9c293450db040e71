from django.contrib import admin

from .models import AdverseEvent, Campaign, FocusProduct, SupervisedObject


@admin.register(SupervisedObject)
class SupervisedObjectAdmin(admin.ModelAdmin):
    list_display = ("entity", "kind", "licence", "practice_licence_no")
    raw_id_fields = ("entity", "licence")


@admin.register(FocusProduct)
class FocusProductAdmin(admin.ModelAdmin):
    list_display = ("category", "product", "approval_no", "holder", "listed_on", "until")
    raw_id_fields = ("holder",)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = ("year", "kind", "unit", "plan")
    raw_id_fields = ("plan",)


@admin.register(AdverseEvent)
class AdverseEventAdmin(admin.ModelAdmin):
    list_display = ("number", "kind", "severity", "product", "received_on", "review_due", "status")
    raw_id_fields = ("reporter",)
