from django.contrib import admin
from django.urls import include, path

from kartlegging.core import views as core_views
from kartlegging.responses.innsyn import innsyn
from kartlegging.surveys.audit_log import audit_log

handler400 = "kartlegging.core.views.bad_request"

admin.site.site_header = "Kartlegging – administrasjon"
admin.site.site_title = "Kartlegging"

urlpatterns = [
    path("", core_views.home, name="home"),
    path("helse/", core_views.health_check, name="health"),
    path("admin/", admin.site.urls),
    path("konto/", include("kartlegging.accounts.urls")),
    path("kartlegginger/<slug:slug>/logg/", audit_log, name="audit_log"),
    path(
        "kartlegginger/<slug:slug>/respondenter/<int:pk>/innsyn.<str:fmt>",
        innsyn,
        name="innsyn",
    ),
    path("kartlegginger/", include("kartlegging.reports.urls")),
    path("kartlegginger/", include("kartlegging.recommendations.urls")),
    path("kartlegginger/", include("kartlegging.surveys.urls")),
    path("", include("kartlegging.responses.urls")),
]
