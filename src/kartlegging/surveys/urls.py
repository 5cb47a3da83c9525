from django.urls import path

from kartlegging.surveys import members, privacy, views

app_name = "surveys"
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("ny/", views.survey_create, name="create"),
    path("<slug:slug>/", views.dashboard, name="dashboard"),
    path("<slug:slug>/status/", views.dashboard_status, name="status"),
    path("<slug:slug>/innstillinger/", views.survey_settings, name="settings"),
    path("<slug:slug>/tilstand/<str:action>/", views.survey_state, name="state"),
    path("<slug:slug>/medlemmer/", members.members, name="members"),
    path(
        "<slug:slug>/medlemmer/<int:pk>/<str:action>/",
        members.member_action,
        name="member_action",
    ),
    path("<slug:slug>/personvern/", privacy.survey_privacy, name="privacy"),
    path("<slug:slug>/e-posttekster/", views.email_texts, name="email_texts"),
    path("<slug:slug>/inviter/", views.invite_all, name="invite_all"),
    path("<slug:slug>/paminn/", views.remind, name="remind_all"),
    path("<slug:slug>/paminn/<str:number>/", views.remind, name="remind_organisation"),
    path("<slug:slug>/e-post/<int:pk>/prov-igjen/", views.retry_email, name="retry_email"),
    path("<slug:slug>/eksport/respondenter.<str:fmt>", views.export_respondents, name="export"),
    path("<slug:slug>/gitt-videre/<int:pk>/angre/", views.handover_undo, name="handover_undo"),
    path("<slug:slug>/respondenter/ny/", views.respondent_form, name="respondent_add"),
    path("<slug:slug>/respondenter/import/", views.respondent_import, name="respondent_import"),
    path("<slug:slug>/respondenter/<int:pk>/", views.respondent_detail, name="respondent"),
    path(
        "<slug:slug>/respondenter/<int:pk>/slett-personopplysninger/",
        privacy.respondent_delete,
        name="respondent_delete",
    ),
    path("<slug:slug>/respondenter/<int:pk>/endre/", views.respondent_form, name="respondent_edit"),
    path(
        "<slug:slug>/respondenter/<int:pk>/<str:action>/",
        views.respondent_action,
        name="respondent_action",
    ),
]
