from django.contrib import admin

from kartlegging.questionnaires.models import QuestionnaireVersion


@admin.register(QuestionnaireVersion)
class QuestionnaireVersionAdmin(admin.ModelAdmin):
    list_display = ("key", "version", "title", "loaded_at")
    readonly_fields = ("key", "version", "title", "source", "sha256", "loaded_at")

    def has_add_permission(self, request):
        return False  # loaded with `kartlegging load-questionnaire`, which validates the file

    def has_change_permission(self, request, obj=None):
        return False
