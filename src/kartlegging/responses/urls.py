from django.urls import path

from kartlegging.responses import views
from kartlegging.responses.throttling import throttled

app_name = "responses"
urlpatterns = [
    path("s/<str:token>/", throttled(views.welcome), name="welcome"),
    path("s/<str:token>/del/<str:section>/", throttled(views.section), name="section"),
    path("s/<str:token>/oppsummering/", throttled(views.summary), name="summary"),
    path("s/<str:token>/send-inn/", throttled(views.submit_view), name="submit"),
    path("s/<str:token>/gi-videre/", throttled(views.hand_on), name="hand_on"),
]
