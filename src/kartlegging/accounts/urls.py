from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from kartlegging.accounts import views
from kartlegging.accounts.forms import ForgottenPasswordForm, NewPasswordForm

app_name = "accounts"
urlpatterns = [
    path(
        "logg-inn/",
        auth_views.LoginView.as_view(template_name="accounts/login.html"),
        name="login",
    ),
    path("logg-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "glemt-passord/",
        auth_views.PasswordResetView.as_view(
            form_class=ForgottenPasswordForm,
            template_name="accounts/forgotten_password.html",
            success_url=reverse_lazy("accounts:forgotten_password_sent"),
        ),
        name="forgotten_password",
    ),
    path(
        "glemt-passord/sendt/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/forgotten_password_sent.html"
        ),
        name="forgotten_password_sent",
    ),
    path(
        "nytt-passord/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=NewPasswordForm,
            template_name="accounts/new_password.html",
            success_url=reverse_lazy("accounts:new_password_done"),
        ),
        name="new_password",
    ),
    path(
        "nytt-passord/ferdig/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/new_password_done.html"
        ),
        name="new_password_done",
    ),
    path("tofaktor/", views.two_factor, name="two_factor"),
    path("sikkerhet/", views.security, name="security"),
]
