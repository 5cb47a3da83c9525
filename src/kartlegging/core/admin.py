from django.contrib import admin

from kartlegging.core.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "action", "actor_name", "survey_slug")
    list_filter = ("action", "survey_slug")
    readonly_fields = ("at", "action", "actor", "actor_name", "survey_pk", "survey_slug", "data")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False  # append-only, for superusers too
