from django.urls import path

from kartlegging.reports import views

app_name = "reports"
urlpatterns = [
    path("<slug:slug>/resultater/fakta/", views.disputed_facts, name="facts"),
    path("<slug:slug>/resultater/fakta/velg/", views.choose_fact, name="choose_fact"),
    path("<slug:slug>/resultater/", views.results, name="results"),
    path("<slug:slug>/resultater/sammendrag/", views.summary, name="summary"),
    path("<slug:slug>/resultater/rapport/", views.request_report, name="request"),
    path("<slug:slug>/resultater/rapporter/", views.report_files, name="files"),
    path("<slug:slug>/resultater/rapport/<int:pk>/", views.download_report, name="download"),
    path("<slug:slug>/resultater/eksport/<str:fmt>/", views.download_export, name="export"),
    path(
        "<slug:slug>/resultater/organisasjon/<str:number>/",
        views.organisation_page,
        name="organisation",
    ),
]
