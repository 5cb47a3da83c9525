"""Importing responses collected elsewhere from CSV: all rows valid, or nothing is saved."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kartlegging.core.models import AuditEntry
from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.responses.importing import ImportResult, ResponseImportError, import_responses
from kartlegging.responses.models import Response
from kartlegging.surveys.models import Respondent
from tests.conftest import invite

pytestmark = pytest.mark.django_db

OSLO_TZ = dt.timezone(dt.timedelta(hours=1))  # Europe/Oslo in winter
HOSPITAL_YAML = """
nokkel: mini-hf
tittel: Lite skjema for helseforetak
seksjoner:
  - nokkel: team
    tittel: Team
    tema: organisering
    sporsmal:
      - {nokkel: palliativt_team, tekst: "Har dere palliativt team?", type: ja_nei}
"""


@pytest.fixture
def tonsberg(survey) -> Organisation:
    organisation = Organisation.objects.create(
        number="3905", name="Tønsberg", kind="kommune", county="Vestfold", population=59174
    )
    survey.organisations.add(organisation)
    return organisation


def answers(respondent: Respondent) -> dict:
    return {a.question_key: a.value for a in respondent.response.answers.all()}


def problems(survey, text: str) -> list[str]:
    before = (Response.objects.count(), Respondent.objects.count())
    with pytest.raises(ResponseImportError) as caught:
        import_responses(survey, text.encode("utf-8"))
    assert (Response.objects.count(), Respondent.objects.count()) == before
    return caught.value.problems


# --------------------------------------------------------------------------- good files


def test_comma_file_imports_submitted_responses_with_parsed_values(survey, horten, tonsberg):
    text = (
        "organisasjon,respondent_navn,respondent_epost,rolle,innsendt,respondent_rolle,"
        "koord_finnes,koord_stilling_pct,enhet_pleiefaktor_dag,ident_verktoy,"
        "samarbeid_fastlege,fagdag_dato\n"
        "3901,Kari Testesen,Kari@Horten.example,Kreftkoordinator,2026-11-03,kreftkoordinator,"
        'ja,50,"0,8",spict|Annet,I stor grad,2026-10-01\n'
        "tønsberg,,,,,Ressurssykepleier,Nei,,1.25,INGEN,vet ikke,\n"
    )
    assert import_responses(survey, text.encode("utf-8")) == ImportResult(2, 0)

    kari = Respondent.objects.get(email="kari@horten.example")
    assert (kari.name, kari.role, kari.organisation) == (
        "Kari Testesen",
        "Kreftkoordinator",
        horten,
    )
    assert kari.response.status == Response.Status.SUBMITTED
    assert kari.response.submitted_at == dt.datetime(2026, 11, 3, 12, 0, tzinfo=OSLO_TZ)
    assert answers(kari) == {
        "respondent_rolle": "kreftkoordinator",
        "koord_finnes": "ja",
        "koord_stilling_pct": 50,
        "enhet_pleiefaktor_dag": 0.8,
        "ident_verktoy": ["spict", "annet"],
        "samarbeid_fastlege": "stor",
        "fagdag_dato": "2026-10-01",
    }
    assert {a.version for a in kari.response.answers.all()} == {1}
    assert not kari.tokens.exists()

    other = Respondent.objects.get(organisation=tonsberg)
    assert other.name == "Importert svar 2"
    assert other.email.startswith("import-") and other.email.endswith("@import.invalid")
    assert other.response.is_submitted and other.response.submitted_at is not None
    assert answers(other) == {
        "respondent_rolle": "ressurssykepleier",
        "koord_finnes": "nei",
        "enhet_pleiefaktor_dag": 1.25,
        "ident_verktoy": ["ingen"],
        "samarbeid_fastlege": "vet_ikke",
    }
    entry = AuditEntry.objects.get(action="responses.imported")
    assert (entry.survey_pk, entry.data) == (survey.pk, {"count": 2})


def test_semicolon_file_with_bom_counts_missing_required_answers(survey, horten):
    text = (
        "Organisasjon;koord_finnes;kompetanse_utdyp\n"
        'Horten;ja;"Fagdag hvert år; med kurs"\n'
        "3901;;\n"
    )
    data = b"\xef\xbb\xbf" + text.encode("utf-8")
    # Row 2 lacks respondent_rolle; row 3 lacks respondent_rolle and koord_finnes.
    assert import_responses(survey, data) == ImportResult(count=2, missing_required=3)
    first, second = Response.objects.order_by("pk")
    assert answers(first.respondent) == {
        "koord_finnes": "ja",
        "kompetanse_utdyp": "Fagdag hvert år; med kurs",
    }
    assert answers(second.respondent) == {}
    assert second.is_submitted


# --------------------------------------------------------------------------- broken files


def test_unknown_column(survey, horten):
    assert problems(survey, "organisasjon,koord_finnes,foo\n3901,ja,1\n") == [
        "Ukjent kolonne «foo»: ikke et spørsmål i skjemaet"
    ]


def test_unknown_organisation(survey, horten):
    assert problems(survey, "organisasjon,koord_finnes\nOslo,ja\n") == [
        "Rad 2: ukjent organisasjon «Oslo» (bruk organisasjonsnummer eller navn fra kartleggingen)"
    ]


def test_bad_option_and_too_many_choices(survey, horten):
    text = (
        "organisasjon,koord_finnes,respondent_rolle,ident_verktoy\n"
        "3901,kanskje,annet|kreftkoordinator,spict|ingen\n"
        "3901,ja,,spict|hammer\n"
    )
    assert problems(survey, text) == [
        "Rad 2, kolonne koord_finnes: Velg et av alternativene.",
        "Rad 2, kolonne respondent_rolle: Velg bare ett svar.",
        "Rad 2, kolonne ident_verktoy: «Ingen» kan ikke kombineres med andre svar.",
        "Rad 3, kolonne ident_verktoy: Velg blant alternativene.",
    ]


def test_numbers_out_of_range_or_not_numbers(survey, horten):
    text = (
        "organisasjon,koord_finnes,koord_stilling_pct,enhet_pleiefaktor_dag\n"
        "3901,ja,12.5,2.5\n"
        "3901,ja,mye,\n"
    )
    assert problems(survey, text) == [
        "Rad 2, kolonne koord_stilling_pct: Skriv et helt tall, uten desimaler.",
        "Rad 2, kolonne enhet_pleiefaktor_dag: Skriv et tall mellom 0 og 2.",
        "Rad 3, kolonne koord_stilling_pct: Skriv et tall, for eksempel 40.",
    ]


def test_answer_to_question_hidden_by_the_same_row(survey, horten):
    text = (
        "organisasjon,respondent_rolle,respondent_rolle_annet,koord_finnes,koord_stilling_pct\n"
        "3901,kreftkoordinator,,nei,50\n"
        "3901,ressurssykepleier,Lege,,\n"
    )
    assert problems(survey, text) == [
        "Rad 2, kolonne koord_stilling_pct: spørsmålet er skjult av svarene i samme rad "
        "(vises bare når koord_finnes er ja)",
        "Rad 3, kolonne respondent_rolle_annet: spørsmålet er skjult av svarene i samme rad "
        "(vises bare når respondent_rolle er annet)",
    ]


def test_bad_submitted_date_and_answer_date(survey, horten):
    text = "organisasjon,innsendt,fagdag_dato\n3901,03.11.2026,\n3901,2999-01-01,1. oktober\n"
    assert problems(survey, text) == [
        "Rad 2, kolonne innsendt: Skriv datoen som åååå-mm-dd, for eksempel 2026-03-15.",
        "Rad 3, kolonne innsendt: datoen er fram i tid",
        "Rad 3, kolonne fagdag_dato: Skriv datoen som åååå-mm-dd, for eksempel 2026-03-15.",
    ]


def test_email_already_in_survey_repeated_or_invalid(survey, horten):
    invite(survey, horten, email="kari@horten.example")
    text = (
        "organisasjon,respondent_epost\n"
        "3901,KARI@horten.example\n"
        "3901,ola@horten.example\n"
        "3901,Ola@horten.example\n"
        "3901,per@\n"
    )
    assert problems(survey, text) == [
        "Rad 2, kolonne respondent_epost: kari@horten.example er allerede respondent i "
        "kartleggingen",
        "Rad 4, kolonne respondent_epost: ola@horten.example står også på rad 3",
        "Rad 5, kolonne respondent_epost: «per@» er ikke en gyldig e-postadresse",
    ]


def test_hospital_rows_use_the_hospital_questionnaire(survey, horten):
    version, _created = load_questionnaire(HOSPITAL_YAML)
    survey.hospital_questionnaire = version
    survey.save()
    hospital = Organisation.objects.create(
        number="983975240", name="Sykehuset i Vestfold", kind="helseforetak", county="Vestfold"
    )
    survey.organisations.add(hospital)
    text = "organisasjon,koord_finnes,palliativt_team\n3901,ja,\n983975240,ja,ja\n"
    assert problems(survey, text) == [
        "Rad 3, kolonne koord_finnes: spørsmålet finnes ikke i skjemaet for denne organisasjonen"
    ]
    text = "organisasjon,koord_finnes,palliativt_team\n3901,ja,\n983975240,,ja\n"
    assert import_responses(survey, text.encode("utf-8")) == ImportResult(2, 1)  # Horten: rolle
    assert answers(Respondent.objects.get(organisation=hospital)) == {"palliativt_team": "ja"}


def test_header_only(survey):
    assert problems(survey, "organisasjon,koord_finnes\n") == ["Filen har ingen rader med svar."]


# --------------------------------------------------------------------------- the command


def run(*args: str) -> str:
    out = StringIO()
    call_command("import-responses", *args, stdout=out)
    return out.getvalue().strip()


def test_command_imports_and_reports_missing_required(survey, horten, tmp_path):
    path = tmp_path / "svar.csv"
    path.write_text(
        "organisasjon,respondent_rolle,koord_finnes\n3901,annet,ja\n3901,,nei\n3901,,\n",
        encoding="utf-8",
    )
    assert run("--survey", "test", str(path)) == (
        "Importert 3 besvarelser til «Testkartlegging». 3 obligatoriske svar mangler."
    )
    assert Response.objects.filter(status=Response.Status.SUBMITTED).count() == 3


def test_command_lists_problems_and_imports_nothing(survey, horten, tmp_path):
    path = tmp_path / "svar.csv"
    path.write_text("organisasjon,koord_finnes,foo\nOslo,ja,\n3901,kanskje,\n", encoding="utf-8")
    with pytest.raises(CommandError) as caught:
        run("--survey", "test", str(path))
    assert str(caught.value) == (
        "Ingenting ble importert. Rett opp dette:\n"
        "  Ukjent kolonne «foo»: ikke et spørsmål i skjemaet\n"
        "  Rad 2: ukjent organisasjon «Oslo» (bruk organisasjonsnummer eller navn fra "
        "kartleggingen)\n"
        "  Rad 3, kolonne koord_finnes: Velg et av alternativene."
    )
    assert not Response.objects.exists()
