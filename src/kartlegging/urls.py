from django.contrib import admin
from django.urls import include, path

from kartlegging.core import views as core_views
from kartlegging.responses import staff_urls as fieldwork_urls
from kartlegging.responses.innsyn import innsyn
from kartlegging.surveys import urls as survey_urls
from kartlegging.surveys.audit_log import audit_log

handler400 = "kartlegging.core.views.bad_request"

admin.site.site_header = "Kartlegging – administrasjon"
admin.site.site_title = "Kartlegging"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("helse/", core_views.health_check, name="health"),
    path("admin/", admin.site.urls),
    path("konto/", include("kartlegging.accounts.urls")),
    path("organisasjoner/", include("kartlegging.organisations.urls")),
    path("sporreskjema/", include("kartlegging.questionnaires.urls")),
    path("kartlegginger/<slug:slug>/logg/", audit_log, name="audit_log"),
    path(
        "kartlegginger/<slug:slug>/respondenter/<int:pk>/innsyn.<str:fmt>",
        innsyn,
        name="innsyn",
    ),
    path("kartlegginger/", include("kartlegging.reports.urls")),
    path("kartlegginger/", include("kartlegging.recommendations.urls")),
    # One namespace for the survey's pages, from two stages: the survey's own (settings,
    # respondents) first, so "ny/" is not read as a slug, then the fieldwork pages that
    # read the answers. Composed here, above every stage, so neither imports the other.
    path(
        "kartlegginger/",
        include((survey_urls.urlpatterns + fieldwork_urls.urlpatterns, "surveys")),
    ),
    path("", include("kartlegging.responses.urls")),
]
