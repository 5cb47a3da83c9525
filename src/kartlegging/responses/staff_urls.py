from django.urls import path

from kartlegging.responses import fieldwork

# The fieldwork pages, in the «surveys» namespace with surveys/urls.py (see kartlegging/urls.py).
urlpatterns = [
    path("<slug:slug>/", fieldwork.dashboard, name="dashboard"),
    path("<slug:slug>/status/", fieldwork.dashboard_status, name="status"),
    path("<slug:slug>/tilstand/<str:action>/", fieldwork.survey_state, name="state"),
    path("<slug:slug>/inviter/", fieldwork.invite_all, name="invite_all"),
    path("<slug:slug>/paminn/", fieldwork.remind, name="remind_all"),
    path("<slug:slug>/paminn/<str:number>/", fieldwork.remind, name="remind_organisation"),
    path("<slug:slug>/e-post/<int:pk>/prov-igjen/", fieldwork.retry_email, name="retry_email"),
    path("<slug:slug>/eksport/respondenter.<str:fmt>", fieldwork.export_respondents, name="export"),
    path("<slug:slug>/gitt-videre/<int:pk>/angre/", fieldwork.handover_undo, name="handover_undo"),
    path("<slug:slug>/respondenter/<int:pk>/", fieldwork.respondent_detail, name="respondent"),
    path(
        "<slug:slug>/respondenter/<int:pk>/<str:action>/",
        fieldwork.respondent_action,
        name="respondent_action",
    ),
]
