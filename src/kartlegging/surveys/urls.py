from django.urls import path

from kartlegging.surveys import members, privacy, views

# In the «surveys» namespace together with responses/staff_urls.py (see kartlegging/urls.py).
urlpatterns = [
    path("", views.survey_list, name="list"),
    path("ny/", views.survey_create, name="create"),
    path("<slug:slug>/innstillinger/", views.survey_settings, name="settings"),
    path("<slug:slug>/medlemmer/", members.members, name="members"),
    path(
        "<slug:slug>/medlemmer/<int:pk>/<str:action>/",
        members.member_action,
        name="member_action",
    ),
    path("<slug:slug>/personvern/", privacy.survey_privacy, name="privacy"),
    path("<slug:slug>/e-posttekster/", views.email_texts, name="email_texts"),
    path("<slug:slug>/respondenter/ny/", views.respondent_form, name="respondent_add"),
    path("<slug:slug>/respondenter/import/", views.respondent_import, name="respondent_import"),
    path(
        "<slug:slug>/respondenter/<int:pk>/slett-personopplysninger/",
        privacy.respondent_delete,
        name="respondent_delete",
    ),
    path("<slug:slug>/respondenter/<int:pk>/endre/", views.respondent_form, name="respondent_edit"),
]
