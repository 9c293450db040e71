from django.contrib import admin

from .models import Plan, ProductCategory, Standard, TestItem


class TestItemInline(admin.TabularInline):
    model = TestItem
    extra = 1


@admin.register(Standard)
class StandardAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "category")
    inlines = [TestItemInline]


admin.site.register(ProductCategory)
admin.site.register(Plan)
