"""Staff login with password, and the staff_required guard in front of staff pages."""

from __future__ import annotations

import pytest

LOGIN = "/konto/logg-inn/"
PROTECTED = "/beskyttet/"

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls_for_tests")]


def test_login_page_is_in_norwegian(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nb"' in html
    assert "Brukernavn" in html
    assert "Passord" in html
    assert 'autocomplete="current-password"' in html


def test_wrong_password_is_refused_in_norwegian(client, staff):
    response = client.post(LOGIN, {"username": "kari", "password": "feil-passord"})
    assert response.status_code == 200
    assert "Brukernavnet eller passordet er feil" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_right_password_logs_in_and_follows_next(client, staff, password):
    response = client.post(LOGIN, {"username": "kari", "password": password, "next": PROTECTED})
    assert response.status_code == 302
    assert response.url == PROTECTED
    assert client.session["_auth_user_id"] == str(staff.pk)


def test_login_does_not_follow_next_to_another_host(client, staff, password, settings):
    settings.LOGIN_REDIRECT_URL = "home"
    response = client.post(
        LOGIN, {"username": "kari", "password": password, "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_protected_view_sends_anonymous_visitor_to_login(client):
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response.url == f"{LOGIN}?next=/beskyttet/"


def test_password_alone_is_enough_when_2fa_is_off(client, staff, password):
    client.post(LOGIN, {"username": "kari", "password": password, "next": PROTECTED})
    response = client.get(PROTECTED)
    assert response.status_code == 200
    assert response.content == b"Beskyttet side"


def test_password_alone_is_sent_to_two_factor_when_2fa_is_required(
    client, staff, password, require_2fa
):
    client.post(LOGIN, {"username": "kari", "password": password, "next": PROTECTED})
    response = client.get(PROTECTED)
    assert response.status_code == 302
    assert response.url == "/konto/tofaktor/?next=%2Fbeskyttet%2F"
