from django.urls import path

from kartlegging.organisations import views

app_name = "organisations"
urlpatterns = [
    path("import/", views.organisation_import, name="import"),
]
