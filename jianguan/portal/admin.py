from django.contrib import admin, messages

from jianguan.core.errors import DomainError

from . import services
from .models import Notice, Reply


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    list_display = ("title", "published_on", "pinned", "unit")
    list_filter = ("pinned",)
    search_fields = ("title", "body")
    date_hierarchy = "published_on"

    def save_model(self, request, obj, form, change):
        # through the service, so every change is audited
        saved = services.notice_save(actor=request.user, notice=obj if change else None,
                                     **{f: form.cleaned_data.get(f) for f in services.NOTICE_FIELDS})
        obj.pk = saved.pk


@admin.register(Reply)
class ReplyAdmin(admin.ModelAdmin):
    list_display = ("object_label", "entity", "status", "posted_at", "hidden_reason")
    list_filter = ("status", "object_type")
    search_fields = ("entity__name", "entity__uscc", "body")
    readonly_fields = [f.name for f in Reply._meta.fields]
    actions = ["hide", "restore"]

    def has_add_permission(self, request):
        return False  # replies are posted by enterprises on the portal

    def has_delete_permission(self, request, obj=None):
        return False  # hide instead: the record of what was said stays

    @admin.action(description="屏蔽所选回应（违反发布规则）", permissions=["change"])
    def hide(self, request, queryset):
        reason = request.POST.get("reason") or "违反回应发布规则（含辱骂、广告或个人信息等）"
        done = 0
        for reply in queryset:
            try:
                services.reply_hide(actor=request.user, reply=reply, reason=reason)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{reply}：{exc.message}", messages.WARNING)
        self.message_user(request, f"已屏蔽 {done} 条回应。")

    @admin.action(description="恢复公开所选回应", permissions=["change"])
    def restore(self, request, queryset):
        done = 0
        for reply in queryset:
            try:
                services.reply_restore(actor=request.user, reply=reply)
                done += 1
            except DomainError as exc:
                self.message_user(request, f"{reply}：{exc.message}", messages.WARNING)
        self.message_user(request, f"已恢复 {done} 条回应。")
