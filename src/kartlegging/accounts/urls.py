from django.contrib.auth import views as auth_views
from django.urls import path

from kartlegging.accounts import views

app_name = "accounts"
urlpatterns = [
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("tofaktor/", views.two_factor, name="two_factor"),
    path("sikkerhet/", views.security, name="security"),
]
