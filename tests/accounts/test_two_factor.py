"""Two-factor authentication: setting up an authenticator app, and verifying with it."""

from __future__ import annotations

import logging
from base64 import b32encode

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

LOGIN = "/konto/logg-inn/"
TWO_FACTOR = "/konto/tofaktor/"
PROTECTED = "/beskyttet/"
TO_PROTECTED = f"{TWO_FACTOR}?next=%2Fbeskyttet%2F"

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.accounts.urls_for_tests")]


@pytest.fixture
def logged_in(client, staff, password, require_2fa):
    """Logged in with password only, and 2FA required."""
    client.post(LOGIN, {"username": "kari", "password": password, "next": PROTECTED})
    return client


def secret_of(device: TOTPDevice) -> str:
    return b32encode(device.bin_key).decode().rstrip("=")


# --------------------------------------------------------------------------- set-up


def test_first_visit_creates_an_unconfirmed_device_and_shows_qr_and_secret(logged_in, staff):
    response = logged_in.get(TO_PROTECTED)

    assert response.status_code == 200
    device = TOTPDevice.objects.get(user=staff)
    assert device.name == "Autentiseringsapp"
    assert not device.confirmed
    html = response.content.decode()
    assert "Slå på tofaktorautentisering" in html
    assert '<img src="data:image/svg+xml' in html
    assert 'alt="QR-kode som legger til Kartlegging i autentiseringsappen' in html
    secret = secret_of(device)
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert "style=" not in html  # the CSP forbids inline styles

    # Coming back shows the same device, not a new secret.
    logged_in.get(TO_PROTECTED)
    assert TOTPDevice.objects.filter(user=staff).count() == 1


def test_valid_code_confirms_the_device_and_opens_the_protected_view(logged_in, staff, code_for):
    logged_in.get(TO_PROTECTED)
    device = TOTPDevice.objects.get(user=staff)

    response = logged_in.post(TWO_FACTOR, {"code": code_for(device), "next": PROTECTED})

    assert response.status_code == 302
    assert response.url == PROTECTED
    device.refresh_from_db()
    assert device.confirmed
    assert logged_in.get(PROTECTED).status_code == 200


def test_wrong_code_at_set_up_is_refused_and_device_stays_unconfirmed(
    logged_in, staff, wrong_code_for
):
    logged_in.get(TO_PROTECTED)
    device = TOTPDevice.objects.get(user=staff)

    response = logged_in.post(TWO_FACTOR, {"code": wrong_code_for(device), "next": PROTECTED})

    assert response.status_code == 422
    html = response.content.decode()
    assert "Koden stemmer ikke" in html
    assert 'class="ds-error-summary"' in html
    assert 'aria-invalid="true"' in html
    assert '<img src="data:image/svg+xml' in html  # still on the set-up page
    device.refresh_from_db()
    assert not device.confirmed
    assert logged_in.get(PROTECTED).status_code == 302


def test_code_that_is_not_six_digits_is_refused(logged_in):
    response = logged_in.post(TWO_FACTOR, {"code": "12ab", "next": PROTECTED})
    assert response.status_code == 422
    assert "Koden består av 6 sifre" in response.content.decode()


# --------------------------------------------------------------------------- verify


def test_user_with_app_gets_through_with_the_right_code(
    client, staff, password, confirmed_device, require_2fa, code_for
):
    response = client.post(LOGIN, {"username": "kari", "password": password, "next": PROTECTED})
    response = client.get(response.url)
    assert response.status_code == 302
    assert response.url == TO_PROTECTED

    page = client.get(response.url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Engangskode" in html
    assert "data:image/svg+xml" not in html  # no new QR code once set up

    response = client.post(TWO_FACTOR, {"code": code_for(confirmed_device), "next": PROTECTED})
    assert response.status_code == 302
    assert response.url == PROTECTED
    assert client.get(PROTECTED).status_code == 200


def test_user_with_app_is_stopped_by_a_wrong_code(
    logged_in, confirmed_device, wrong_code_for, code_for
):
    response = logged_in.post(
        TWO_FACTOR, {"code": wrong_code_for(confirmed_device), "next": PROTECTED}
    )
    assert response.status_code == 422
    assert "Koden stemmer ikke" in response.content.decode()
    assert logged_in.get(PROTECTED).status_code == 302

    # Right after a failure, even the right code must wait (throttling).
    response = logged_in.post(TWO_FACTOR, {"code": code_for(confirmed_device), "next": PROTECTED})
    assert response.status_code == 422
    assert "Du har skrevet feil kode for mange ganger" in response.content.decode()
    assert logged_in.get(PROTECTED).status_code == 302


def test_next_to_another_host_is_not_followed(logged_in, confirmed_device, code_for, settings):
    settings.LOGIN_REDIRECT_URL = "home"
    response = logged_in.post(
        TWO_FACTOR, {"code": code_for(confirmed_device), "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == "/"


def test_two_factor_page_needs_a_login(client):
    response = client.get(TWO_FACTOR)
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


def test_codes_and_secrets_are_not_logged(logged_in, staff, code_for, caplog):
    caplog.set_level(logging.DEBUG)
    logged_in.get(TO_PROTECTED)
    device = TOTPDevice.objects.get(user=staff)
    code = code_for(device)
    logged_in.post(TWO_FACTOR, {"code": code, "next": PROTECTED})

    logged = caplog.text
    assert code not in logged
    assert secret_of(device) not in logged
    assert device.key not in logged


# --------------------------------------------------------------------------- status page


def test_security_page_says_whether_2fa_is_on(client, staff, code_for):
    client.force_login(staff)
    assert "Tofaktorautentisering er av" in client.get("/konto/sikkerhet/").content.decode()

    device = TOTPDevice.objects.create(user=staff, name="Autentiseringsapp", confirmed=True)
    html = client.get("/konto/sikkerhet/").content.decode()
    assert "Tofaktorautentisering er på" in html
    assert "ikke bekreftet med engangskode" in html

    client.post(TWO_FACTOR, {"code": code_for(device), "next": "/konto/sikkerhet/"})
    assert "er bekreftet med engangskode" in client.get("/konto/sikkerhet/").content.decode()
