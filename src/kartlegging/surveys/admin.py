from django.contrib import admin

from kartlegging.surveys.models import Email, Membership, Respondent, Survey


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ("title", "slug", "questionnaire", "state", "deadline")
    list_filter = ("state",)
    filter_horizontal = ("organisations",)


@admin.register(Respondent)
class RespondentAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "role", "organisation", "survey")
    list_filter = ("survey", "organisation")
    search_fields = ("name", "email")


@admin.register(Email)
class EmailAdmin(admin.ModelAdmin):
    list_display = ("kind", "respondent", "queued_at", "sent_at", "failed_at")
    list_filter = ("kind", "survey")
    readonly_fields = [f.name for f in Email._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "survey", "role")
    list_filter = ("survey", "role")
