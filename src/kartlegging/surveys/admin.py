from django.contrib import admin

from kartlegging.surveys.models import Respondent, Survey


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
