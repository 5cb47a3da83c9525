from django.contrib import admin

from kartlegging.organisations.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("number", "name", "kind", "county", "population", "population_year")
    list_filter = ("kind", "county")
    search_fields = ("number", "name")
