"""The registry's import page: staff only, all or nothing, every import audited."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest
from django.test import Client

from kartlegging.core.models import AuditEntry
from kartlegging.organisations.models import Organisation

pytestmark = pytest.mark.django_db

URL = "/organisasjoner/import/"
FIXTURES = Path(__file__).parent.parent / "fixtures"


def upload(data: bytes, name: str = "07459.csv") -> BytesIO:
    file = BytesIO(data)
    file.name = name
    return file


def test_anonymous_is_sent_to_login(client):
    reply = client.get(URL)
    assert reply.status_code == 302 and reply["Location"].startswith("/konto/logg-inn/")


def test_an_account_without_staff_status_gets_403(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("ikke-ansatt", password="x" * 16))
    assert client.get(URL).status_code == 403


@pytest.mark.parametrize("persona", ["leder", "utenfor"])
def test_any_staff_user_sees_the_page_and_the_registry(as_, horten, persona):
    page = as_(persona).get(URL).content.decode()
    assert '<h1 class="ds-heading" data-size="lg">Importer kommuner og organisasjoner</h1>' in page
    assert "https://www.ssb.no/statbank/table/07459/" in page
    assert '<td>Vestfold</td><td class="tall">1</td><td class="tall">27\xa0939</td>' in page


def test_statistikkbanken_download_is_imported_and_audited(as_, people):
    data = (FIXTURES / "statistikkbanken-07459.csv").read_bytes()
    reply = as_("utenfor").post(URL, {"file": upload(data)})
    assert reply.status_code == 302 and reply["Location"] == URL
    page = as_("utenfor").get(URL).content.decode()
    assert (
        "Importert: 356 nye, 1 oppdatert (innbyggere 1. januar 2024, SSB-tabell 07459, CSV)."
        in page
    )
    assert '<td>Finnmark</td><td class="tall">18</td>' in page
    assert Organisation.objects.count() == 357
    entry = AuditEntry.objects.get(action="organisations.imported")
    assert (entry.actor, entry.survey_pk) == (people["utenfor"], None)
    assert entry.data == {
        "created": 356,
        "updated": 1,
        "year": 2024,
        "source": "SSB-tabell 07459, CSV",
    }


def test_own_table_with_a_year_from_the_form(as_):
    data = (
        b"nummer,navn,type,innbyggere,fylke\nHF-SIV,Sykehuset i Vestfold,helseforetak,,Vestfold\n"
    )
    reply = as_("leder").post(URL, {"file": upload(data), "year": "2025"})
    assert reply.status_code == 302
    assert "Sykehuset i Vestfold (HF-SIV, Vestfold)" in as_("leder").get(URL).content.decode()


def test_bad_rows_are_listed_and_nothing_is_saved(as_, horten):
    data = b"nummer,navn,type,innbyggere,fylke\n301,Oslo,kommune,717710,Oslo\n3905,,kommune,1,V\n"
    reply = as_("leder").post(URL, {"file": upload(data)})
    assert reply.status_code == 422
    page = reply.content.decode()
    assert "Ingenting ble importert. Rett opp dette og prøv igjen:" in page
    assert "<li>Rad 2: kommunenummer må ha fire sifre, fikk «301»</li>" in page
    assert "<li>Rad 3: mangler navn</li>" in page
    assert list(Organisation.objects.values_list("number", flat=True)) == ["3901"]
    assert not AuditEntry.objects.filter(action="organisations.imported").exists()


def test_a_broken_ssb_file_is_refused_in_norwegian(as_):
    reply = as_("leder").post(URL, {"file": upload(b'{"class": "dataset"', "07459.json")})
    assert reply.status_code == 422
    assert "Filen ser ut som JSON, men kan ikke leses" in reply.content.decode()
    assert Organisation.objects.count() == 1  # Horten, of the personas' survey


def test_no_file_and_a_bad_year_are_refused(as_):
    reply = as_("leder").post(URL, {"year": "ifjor"})
    assert reply.status_code == 422
    page = reply.content.decode()
    assert "Feltet er påkrevet." in page and "Oppgi et heltall." in page


def test_the_form_needs_its_csrf_token(people):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["leder"])
    data = (FIXTURES / "ssb-07459.json").read_bytes()
    assert strict.post(URL, {"file": upload(data, "07459.json")}).status_code == 403
    assert Organisation.objects.count() == 1  # Horten, of the personas' survey


def test_the_new_survey_page_links_to_the_import(as_, horten):
    page = as_("utenfor").get("/kartlegginger/ny/").content.decode()
    assert f'<a class="ds-link" href="{URL}">Importer kommuner fra SSB</a>' in page
