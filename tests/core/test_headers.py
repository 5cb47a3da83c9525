"""Headers and error pages every response gets: no-store, HSTS, Norwegian 400 and 413."""

import os
import subprocess
import sys

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_client(as_):
    return as_("leder")


@pytest.mark.parametrize(
    "path",
    ["/kartlegginger/", "/kartlegginger/test/", "/kartlegginger/test/eksport/respondenter.csv"],
)
def test_staff_pages_and_downloads_are_never_stored(leader_client, path):
    response = leader_client.get(path)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_respondent_pages_are_never_stored(client, invited):
    assert "no-store" in client.get(invited.url())["Cache-Control"]


def test_static_files_keep_their_cache(client):
    response = client.get("/static/kartlegging/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def production_setting(name: str, **env: str) -> str:
    code = f"import kartlegging.settings as s; print(s.{name})"
    environment = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("KARTLEGGING_", "DJANGO_"))},
        "KARTLEGGING_MODE": "production",
        "SECRET_KEY": "k" * 50,
        "ALLOWED_HOSTS": "kartlegging.example.no",
        **env,
    }
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_hsts_for_a_year_in_production_without_preload():
    assert production_setting("SECURE_HSTS_SECONDS") == "31536000"
    assert production_setting("SECURE_HSTS_PRELOAD") == "False"
    assert production_setting("SECURE_HSTS_PRELOAD", HSTS_PRELOAD="true") == "True"
    assert production_setting("SECURE_HSTS_SECONDS", HTTPS="false") == "0"


@override_settings(SECURE_HSTS_SECONDS=31536000)
def test_hsts_header_on_https(client):
    response = client.get("/konto/logg-inn/", secure=True)
    assert response["Strict-Transport-Security"] == "max-age=31536000"


@override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=1000)
def test_oversized_request_gets_a_norwegian_413(client):
    response = client.post("/konto/logg-inn/", {"username": "x" * 2000, "password": "y"})
    assert response.status_code == 413
    page = response.content.decode()
    assert "For mye på én gang" in page and "Ingenting ble lagret" in page


def test_bad_request_gets_a_norwegian_400(client):
    response = client.get("/", HTTP_HOST="ukjent.example")
    assert response.status_code == 400
    assert "Forespørselen kunne ikke behandles" in response.content.decode()
