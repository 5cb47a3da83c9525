"""The survey commands: create-survey, add-respondent, open-survey and load-demo."""

from __future__ import annotations

import re
from collections import Counter
from io import StringIO
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kartlegging.organisations.importing import import_organisations
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.surveys.models import Respondent, Survey

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).parent.parent.parent
MINI = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
LINK = re.compile(r"https?://\S+/s/[A-Za-z0-9_-]+/")


def run(name: str, *args: str) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue().strip()


def create(*extra: str) -> str:
    return run(
        "create-survey",
        "--questionnaire",
        "mini",
        "--slug",
        "vf",
        "--title",
        "Kartlegging Vestfold",
        *extra,
    )


def refused(name: str, *args: str) -> str:
    with pytest.raises(CommandError) as caught:
        run(name, *args)
    return str(caught.value)


@pytest.fixture
def vestfold(mini_version):
    import_organisations((ROOT / "data" / "organisasjoner-vestfold.csv").read_bytes(), year=2024)


@pytest.fixture
def draft(vestfold) -> Survey:
    create("--organisations", "3901,3905")
    return Survey.objects.get(slug="vf")


def add(*extra: str, email: str = "kari@horten.example") -> str:
    return run(
        "add-respondent",
        "--survey",
        "vf",
        "--organisation",
        "3901",
        "--name",
        "Kari Testesen",
        "--email",
        email,
        *extra,
    )


# --------------------------------------------------------------------------- create-survey


def test_create_survey_with_all_organisations_is_a_draft(vestfold):
    assert create("--deadline", "2027-02-15") == (
        "Opprettet «Kartlegging Vestfold» (vf) med mini v1 og 7 organisasjoner. Status: utkast."
    )
    survey = Survey.objects.get(slug="vf")
    assert survey.state == Survey.State.DRAFT
    assert survey.organisations.count() == 7
    assert str(survey.deadline) == "2027-02-15"
    assert survey.boundaries == (5000, 20000)


def test_create_survey_with_listed_organisations(vestfold):
    create("--organisations", "3901, 3905", "--size-classes", "6000,20000")
    survey = Survey.objects.get(slug="vf")
    assert sorted(o.name for o in survey.organisations.all()) == ["Horten", "Tønsberg"]
    assert survey.boundaries == (6000, 20000)


def test_create_survey_uses_the_newest_questionnaire_version(vestfold):
    load_questionnaire(MINI.replace("Lite testskjema", "Lite testskjema, andre utgave"))
    create()
    assert Survey.objects.get(slug="vf").questionnaire.version == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--organisations", "3901,9999,0000"), "Ukjente organisasjonsnumre: 0000, 9999."),
        (
            ("--size-classes", "20000"),
            "Størrelsesgrensene må være to heltall skilt med komma, f.eks. 5000,20000.",
        ),
        (
            ("--size-classes", "20000,5000"),
            "Den nedre grensen må være større enn 0 og mindre enn den øvre.",
        ),
        (("--deadline", "15.02.2027"), "Svarfristen må skrives ÅÅÅÅ-MM-DD."),
        (("--deadline", "2027-02-30"), "Svarfristen må skrives ÅÅÅÅ-MM-DD."),
        (("--hospital-questionnaire", "sykehus"), "Fant ikke spørreskjemaet «sykehus»."),
    ],
)
def test_create_survey_refuses_bad_options_and_creates_nothing(vestfold, args, message):
    with pytest.raises(CommandError) as caught:
        create(*args)
    assert str(caught.value) == message
    assert not Survey.objects.exists()


def test_create_survey_unknown_questionnaire(vestfold):
    assert refused("create-survey", "--questionnaire", "ukjent", "--slug", "x", "--title", "X") == (
        "Fant ikke spørreskjemaet «ukjent». Last det inn med kartlegging load-questionnaire FIL."
    )


def test_create_survey_needs_organisations(mini_version):
    with pytest.raises(CommandError) as caught:
        create()
    assert str(caught.value) == (
        "Ingen organisasjoner valgt. Importer dem først (kartlegging import-organisations FIL)."
    )


def test_create_survey_slug_must_be_new(draft):
    with pytest.raises(CommandError) as caught:
        create()
    assert str(caught.value) == "Det finnes allerede en kartlegging med kortnavnet «vf»."


# --------------------------------------------------------------------------- add-respondent, open


def test_added_respondent_link_opens_once_the_survey_is_open(client, draft):
    link = add("--role", "Kreftkoordinator")
    assert LINK.fullmatch(link)
    path = urlparse(link).path
    page = client.get(path)
    assert page.status_code == 200
    assert "Kartleggingen er ikke åpnet ennå" in page.content.decode()
    assert run("open-survey", "vf") == "«Kartlegging Vestfold» er åpen for svar."
    page = client.get(path)
    assert page.status_code == 200
    assert "Kartleggingen er ikke åpnet ennå" not in page.content.decode()
    assert "Kartlegging Vestfold" in page.content.decode()


def test_add_respondent_stores_a_clean_lower_case_address(draft):
    add(email="  Kari@Horten.EXAMPLE ")
    respondent = Respondent.objects.get()
    assert (respondent.email, respondent.name, respondent.organisation.number) == (
        "kari@horten.example",
        "Kari Testesen",
        "3901",
    )


def test_add_respondent_refuses_invalid_email(draft):
    with pytest.raises(CommandError) as caught:
        add(email="kari.horten.example")
    assert str(caught.value) == "«kari.horten.example» er ikke en gyldig e-postadresse."
    assert not Respondent.objects.exists()


def test_add_respondent_refuses_duplicate_email(draft):
    add()
    with pytest.raises(CommandError) as caught:
        add(email="KARI@horten.example")
    assert str(caught.value) == "kari@horten.example er allerede respondent i denne kartleggingen."
    assert Respondent.objects.count() == 1


def test_add_respondent_only_for_organisations_in_the_survey(draft):
    assert refused(
        "add-respondent",
        "--survey",
        "vf",
        "--organisation",
        "3907",
        "--name",
        "Ola",
        "--email",
        "ola@sandefjord.example",
    ) == ("Organisasjon 3907 er ikke med i kartleggingen.")
    assert refused(
        "add-respondent",
        "--survey",
        "finnes-ikke",
        "--organisation",
        "3901",
        "--name",
        "Ola",
        "--email",
        "ola@horten.example",
    ) == ("Fant ingen kartlegging med kortnavnet «finnes-ikke».")


def test_open_survey(draft):
    run("open-survey", "vf")
    draft.refresh_from_db()
    assert draft.state == Survey.State.OPEN and draft.opened_at is not None
    assert refused("open-survey", "ukjent") == "Fant ingen kartlegging med kortnavnet «ukjent»."


# --------------------------------------------------------------------------- load-demo


def demo_links(output: str) -> list[str]:
    return [urlparse(link).path for link in LINK.findall(output)]


def test_load_demo_runs_twice_and_prints_two_working_links(client):
    first = demo_links(run("load-demo"))
    second_output = run("load-demo")
    second = demo_links(second_output)
    assert len(second) == 2
    assert (
        "Demo: «Kartlegging av palliative tjenester i Vestfold 2026» er åpen, "
        "18 respondenter." in second_output
    )
    for path in second:
        assert client.get(path).status_code == 200
    # Each run gives fresh links, and the ones printed before still open the same answers.
    assert first != second
    assert [client.get(path).status_code for path in first] == [200, 200]


def test_load_demo_creates_two_or_three_respondents_per_organisation():
    run("load-demo")
    survey = Survey.objects.get(slug="vestfold-2026")
    assert survey.is_open
    invited = survey.respondents.filter(handed_from__isnull=True)  # not the colleague handed to
    per_organisation = Counter(r.organisation.number for r in invited)
    assert per_organisation.pop("HF-SIV") == 2
    assert len(per_organisation) == 6
    assert set(per_organisation.values()) <= {2, 3}
    assert survey.hospital_questionnaire.key == "palliasjon-helseforetak"
    assert survey.questionnaire.key == "palliasjon-kommune"


def test_load_demo_shows_every_dashboard_state():
    from kartlegging.responses.progress import survey_progress

    run("load-demo")
    progress = survey_progress(Survey.objects.get(slug="vestfold-2026"))
    states = {o.status for o in progress.organisations}
    assert {"levert", "pabegynt", "invitert"} <= states
    assert 50 <= progress.organisation_rate <= 70  # about 60 % of organisations have answered
    assert progress.failed_emails == 2
    assert any(r.handed_on for o in progress.organisations for r in o.respondents)
    assert "bruker prosjektleder" in run("load-demo")


def test_demo_colleagues_mostly_agree_on_facts():
    from kartlegging.analysis.facts import organisation_facts
    from kartlegging.analysis.table import build_table

    run("load-demo")
    survey = Survey.objects.get(slug="vestfold-2026")
    questionnaire = survey.questionnaire.definition
    table = build_table(survey)
    facts = organisation_facts(table[table["questionnaire"] == questionnaire.key], questionnaire)
    disputed = sum(fact.disputed for fact in facts)
    assert 0 < disputed < len(facts) / 10  # a few disputes to resolve, not most of them
