from django.urls import path

from kartlegging.responses import views

app_name = "responses"
urlpatterns = [
    path("s/<str:token>/", views.welcome, name="welcome"),
    path("s/<str:token>/del/<str:section>/", views.section, name="section"),
    path("s/<str:token>/oppsummering/", views.summary, name="summary"),
    path("s/<str:token>/send-inn/", views.submit_view, name="submit"),
    path("s/<str:token>/gi-videre/", views.hand_on, name="hand_on"),
]
