"""The admin is behind the same second factor as the app."""

import pytest

pytestmark = pytest.mark.django_db
LOGIN = "/konto/logg-inn/"


@pytest.fixture
def superuser(django_user_model, password):
    return django_user_model.objects.create_superuser("sjef", password=password)


@pytest.fixture
def superuser_device(superuser):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=superuser, name="Autentiseringsapp", confirmed=True)


def test_password_alone_does_not_open_the_admin(
    client, superuser, superuser_device, password, require_2fa
):
    client.post(LOGIN, {"username": "sjef", "password": password})
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/konto/tofaktor/?next=%2Fadmin%2F"
    assert "Engangskode" in response.content.decode()
    assert client.get("/admin/surveys/respondent/").status_code == 302


def test_admin_login_form_is_the_apps_login_with_two_factor(
    client, superuser, password, require_2fa
):
    response = client.post("/admin/login/?next=/admin/", {"username": "sjef", "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith(f"{LOGIN}?next=")
    assert client.get("/admin/").status_code == 302


def test_verified_session_opens_the_admin(
    client, superuser, superuser_device, password, require_2fa, code_for
):
    client.post(LOGIN, {"username": "sjef", "password": password})
    client.post("/konto/tofaktor/", {"code": code_for(superuser_device)})
    assert client.get("/admin/").status_code == 200


def test_without_required_two_factor_the_password_is_enough(client, superuser, password):
    client.post(LOGIN, {"username": "sjef", "password": password})
    assert client.get("/admin/").status_code == 200
