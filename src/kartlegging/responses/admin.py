from django.contrib import admin

from kartlegging.responses.models import Answer, Response


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    readonly_fields = ("question_key", "value", "version", "updated_at")
    can_delete = False


@admin.register(Response)
class ResponseAdmin(admin.ModelAdmin):
    list_display = ("respondent", "status", "opened_at", "updated_at", "submitted_at")
    list_filter = ("status", "respondent__survey")
    readonly_fields = ("respondent", "status", "opened_at", "updated_at", "submitted_at")
    inlines = [AnswerInline]
