"""Respondent-page defects from the review (issue 10): identifiers, register prefill, receipt
contact, punctuation."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from kartlegging.analysis.table import build_table
from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.responses.models import Answer, Response
from kartlegging.surveys.models import Survey
from tests.conftest import invite

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
REGISTER_NOTE = "Hentet fra registeret – rett hvis det er feil."

# The two register questions as the default questionnaire asks them, and one amount.
REGISTER_YAML = """
nokkel: register
tittel: Skjema med registertall
seksjoner:
  - nokkel: kommunen
    tittel: Om kommunen
    tema: bakgrunn
    sporsmal:
      - nokkel: kommunenummer
        tekst: Hvilken kommune svarer du for? Oppgi kommunenummeret.
        type: heltall
        min: 301
        maks: 5636
        omfang: organisasjon
      - nokkel: innbyggere
        tekst: Omtrent hvor mange innbyggere har kommunen?
        type: heltall
        enhet: innbyggere
        min: 0
        maks: 800000
        omfang: organisasjon
      - nokkel: senger
        tekst: Hvor mange senger har kommunen?
        type: heltall
        min: 0
        maks: 100000
        omfang: organisasjon
"""


@pytest.fixture
def holmestrand(db) -> Organisation:
    return Organisation.objects.create(
        number="3903", name="Holmestrand", county="Vestfold", population=25715
    )


@pytest.fixture
def register_survey(holmestrand) -> Survey:
    version, _created = load_questionnaire(REGISTER_YAML)
    survey = Survey.objects.create(
        slug="register",
        title="Registerkartlegging",
        questionnaire=version,
        deadline=dt.date(2027, 2, 15),
        owner_name="USHT Vestfold",
        contact_email="usht@vestfold.example",
    )
    survey.organisations.set([holmestrand])
    survey.open()
    return survey


@pytest.fixture
def holmestrand_invited(register_survey, holmestrand):
    return invite(register_survey, holmestrand, email="kari@holmestrand.example")


def _text(html: str) -> str:
    """The page as read: tags removed, whitespace collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _answer_all(client, invited):
    client.post(
        invited.url("del/kommunen/"),
        {"kommunenummer": "3903", "innbyggere": "25715", "senger": "1200", "ga": "lagre"},
    )


# 1. Identifiers print without a thousands separator.


def test_municipality_number_prints_without_separator_on_summary_and_receipt(
    client, holmestrand_invited
):
    _answer_all(client, holmestrand_invited)
    summary = client.get(holmestrand_invited.url("oppsummering/")).content.decode()
    assert "3903" in summary
    assert "3\u00a0903" not in summary and "3 903" not in summary
    assert "25\u00a0715 innbyggere" in summary  # an amount keeps its separator
    assert "1\u00a0200" in summary
    client.post(holmestrand_invited.url("send-inn/"))
    receipt = client.get(holmestrand_invited.url()).content.decode()
    assert "Takk! Svarene dine er sendt inn." in receipt
    assert "3903" in receipt and "3\u00a0903" not in receipt


def test_municipality_number_keeps_its_leading_zero(client, register_survey):
    oslo = Organisation.objects.create(number="0301", name="Oslo", population=717710)
    register_survey.organisations.add(oslo)
    invited = invite(register_survey, oslo, email="ola@oslo.example")
    client.post(invited.url("del/kommunen/"), {"kommunenummer": "0301", "ga": "lagre"})
    assert Response.objects.get(respondent=invited.respondent).answer_values() == {
        "kommunenummer": 301
    }
    assert "0301" in client.get(invited.url("oppsummering/")).content.decode()
    assert 'value="0301"' in client.get(invited.url("del/kommunen/")).content.decode()


# 2. The register values are prefilled, but only a save makes them answers.


def test_register_values_are_prefilled_and_a_get_stores_nothing(client, holmestrand_invited):
    page = client.get(holmestrand_invited.url("del/kommunen/")).content.decode()
    assert re.search(r'id="inp-kommunenummer" name="kommunenummer" value="3903"', page)
    assert re.search(r'id="inp-innbyggere" name="innbyggere" value="25715"', page)
    assert re.search(r'id="inp-senger" name="senger" value=""', page)
    assert page.count(REGISTER_NOTE) == 2
    # The note is tied to the field it describes.
    assert re.search(r'id="inp-kommunenummer"[^>]*aria-describedby="[^"]*kilde-kommunenummer', page)
    assert not Answer.objects.exists()
    response = Response.objects.get(respondent=holmestrand_invited.respondent)
    assert response.answer_values() == {}
    assert build_table(holmestrand_invited.respondent.survey, include_started=True).empty
    summary = client.get(holmestrand_invited.url("oppsummering/")).content.decode()
    assert "3903" not in summary  # not an answer until saved


def test_saving_the_section_confirms_the_prefilled_values(client, holmestrand_invited):
    page = client.get(holmestrand_invited.url("del/kommunen/")).content.decode()
    assert REGISTER_NOTE in page
    # The browser posts what the fields show: the respondent confirmed them.
    reply = client.post(
        holmestrand_invited.url("del/kommunen/"),
        {"kommunenummer": "3903", "innbyggere": "25715", "senger": "", "ga": "lagre"},
    )
    assert reply.status_code == 302
    stored = Response.objects.get(respondent=holmestrand_invited.respondent).answer_values()
    assert stored == {"kommunenummer": 3903, "innbyggere": 25715}
    page = client.get(holmestrand_invited.url("del/kommunen/")).content.decode()
    assert REGISTER_NOTE not in page  # now it is the respondent's own answer


def test_a_cleared_register_answer_is_not_prefilled_again(client, holmestrand_invited):
    client.get(holmestrand_invited.url("del/kommunen/"))
    client.post(
        holmestrand_invited.url("del/kommunen/"),
        {"_sporsmal": "innbyggere", "innbyggere": ["30000"]},
        **HTMX,
    )
    client.post(
        holmestrand_invited.url("del/kommunen/"),
        {"_sporsmal": "innbyggere", "innbyggere": [""], "_v_innbyggere": "1"},
        **HTMX,
    )
    page = client.get(holmestrand_invited.url("del/kommunen/")).content.decode()
    assert re.search(r'id="inp-innbyggere" name="innbyggere" value=""', page)
    assert page.count(REGISTER_NOTE) == 1  # only the municipality number


def test_register_value_outside_the_allowed_range_is_not_prefilled(
    client, register_survey, holmestrand
):
    odd = Organisation.objects.create(number="HF99", name="Helse Test", population=None)
    register_survey.organisations.add(odd)
    invited = invite(register_survey, odd, email="per@hf.example")
    page = client.get(invited.url("del/kommunen/")).content.decode()
    assert REGISTER_NOTE not in page
    assert 'value="HF99"' not in page


# 3. The receipt says how to reach the project leader.


def _submit(client, invited):
    _answer_all(client, invited)
    client.post(invited.url("send-inn/"))
    return client.get(invited.url()).content.decode()


def test_receipt_names_the_owner_and_links_the_contact_address(client, holmestrand_invited):
    receipt = _submit(client, holmestrand_invited)
    assert '<a class="ds-link" href="mailto:usht@vestfold.example">usht@vestfold.example</a>' in (
        receipt
    )
    assert "ta kontakt med USHT Vestfold på usht@vestfold.example" in _text(receipt)


def test_receipt_without_contact_address_gives_no_instruction_it_cannot_back(
    client, holmestrand_invited, register_survey
):
    register_survey.contact_email = ""
    register_survey.save()
    receipt = _submit(client, holmestrand_invited)
    assert "mailto:" not in receipt
    assert "ta kontakt" not in _text(receipt).lower()
    assert "Kartleggingen gjennomføres av USHT Vestfold." in _text(receipt)
    register_survey.owner_name = ""
    register_survey.save()
    receipt = client.get(holmestrand_invited.url()).content.decode()
    assert "ta kontakt" not in _text(receipt).lower() and "gjennomføres av" not in receipt


# 5c. Punctuation in messages.


def test_error_summary_drops_the_full_stop_before_the_colon(client, holmestrand_invited):
    reply = client.post(
        holmestrand_invited.url("del/kommunen/"),
        {"kommunenummer": "tre", "innbyggere": "mange", "senger": "", "ga": "lagre"},
    )
    assert reply.status_code == 422
    text = _text(reply.content.decode())
    assert "Oppgi kommunenummeret: Skriv et tall, for eksempel 40." in text
    assert "Omtrent hvor mange innbyggere har kommunen: Skriv et tall" in text
    assert ".:" not in text and "?:" not in text


def test_welcome_page_without_a_role_leaves_the_parenthesis_out(client, register_survey):
    org = register_survey.organisations.get()
    invited = invite(register_survey, org, email="uten@rolle.example")
    invited.respondent.role = ""
    invited.respondent.save()
    text = _text(client.get(invited.url()).content.decode())
    assert "(–)" not in text and "()" not in text
    assert "rollen din og jobb-e-postadressen din (uten@rolle.example)" in text
    with_role = invite(register_survey, org, email="med@rolle.example")
    text = _text(client.get(with_role.url()).content.decode())
    assert "rollen din (Kreftkoordinator) og jobb-e-postadressen din" in text
