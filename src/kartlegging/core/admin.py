from django.contrib import admin

from kartlegging.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor", "survey")
    list_filter = ("action", "survey")
    readonly_fields = ("at", "action", "actor", "survey", "data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
