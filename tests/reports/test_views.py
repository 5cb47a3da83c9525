"""Results pages: three personas, a report built in the background, downloads, profiles."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from kartlegging.reports.models import ReportFile

pytestmark = pytest.mark.django_db


PAGES = [
    "/kartlegginger/test/resultater/",
    "/kartlegginger/test/resultater/?gruppe=size",
    "/kartlegginger/test/resultater/organisasjon/3901/",
    "/kartlegginger/test/resultater/rapporter/",
    "/kartlegginger/test/resultater/eksport/xlsx/",
    "/kartlegginger/test/resultater/eksport/frequencies/",
]


@pytest.mark.parametrize("url", PAGES)
def test_results_pages_for_leader_and_group_not_outsiders(as_, two_answers, url):
    assert as_("leder").get(url).status_code == 200
    assert as_("gruppe").get(url).status_code == 200
    assert as_("utenfor").get(url).status_code == 404


def test_results_page_shows_percent_with_base(as_, two_answers):
    page = as_("gruppe").get("/kartlegginger/test/resultater/").content.decode()
    assert "Har kommunen kreftkoordinator?" in page
    # A fact counts once per organisation: Horten's two respondents disagree (ja, nei), so
    # the table shows one organisation under «Ulike svar», not 50 % (1) of two respondents.
    assert "Ulike svar" in page and "100 % (1)" in page
    assert "50 % (1)" not in page
    assert "Bygger på 2 innsendte besvarelser." in page


def test_split_by_size_suppresses_small_groups(as_, two_answers):
    page = as_("gruppe").get("/kartlegginger/test/resultater/?gruppe=size").content.decode()
    assert "færre enn 3" in page


def test_results_page_shows_one_theme_with_figures_and_links_to_the_others(as_, two_answers):
    client = as_("gruppe")
    page = client.get("/kartlegginger/test/resultater/").content.decode()
    assert 'aria-current="page"' in page and ">Organisering</a>" in page
    assert "tema=kompetanse" in page
    # ident_verktoy (multiple choice): a bar chart with its numbers as text alternative
    assert "Figur " not in page  # figures on the page are not numbered like the report's
    assert '<img src="data:image/svg+xml;base64,' in page
    assert "Hvilke verktøy brukes? (n = 1). Flere svar mulig." in page
    assert "<td>SPICT</td><td>100 %</td>" in page
    page = client.get("/kartlegginger/test/resultater/?tema=kompetanse").content.decode()
    assert "Vurderinger innen kompetanse og kunnskap (n = 2)." in page  # the scale figure
    assert "Hvilke verktøy brukes?" not in page


def test_results_filter_by_size_class_and_started_responses(as_, two_answers, survey, horten):
    from tests.reports.conftest import answered

    answered(survey, horten, "c@h.example", {"ident_verktoy": ["ingen"]}, finish=False)
    client = as_("gruppe")
    page = client.get("/kartlegginger/test/resultater/").content.decode()
    assert "Bygger på 2 innsendte besvarelser." in page
    page = client.get("/kartlegginger/test/resultater/?pabegynte=1").content.decode()
    assert "inkluderer 1 påbegynt besvarelse som ikke er sendt inn" in page
    assert "50 % (1)" in page  # ident_verktoy: SPICT 1 of 2 respondents with the started one
    assert "Bygger på 2 innsendte besvarelser." in page
    horten_size = horten.size_class(survey.boundaries)
    other = next(s for s in ("liten", "mellomstor", "stor") if s != horten_size)
    page = client.get(f"/kartlegginger/test/resultater/?storrelse={other}").content.decode()
    assert "Ingen svar med disse valgene." in page
    page = client.get(f"/kartlegginger/test/resultater/?storrelse={horten_size}").content.decode()
    assert "Ulike svar" in page and "100 % (1)" in page


def test_report_is_built_in_the_background_and_downloaded(as_, two_answers):
    client = as_("gruppe")
    reply = client.post(
        "/kartlegginger/test/resultater/rapport/", {"format": "pdf"}, HTTP_HX_REQUEST="true"
    )
    assert "Last ned" in reply.content.decode()
    report_file = ReportFile.objects.get()
    assert report_file.status == "ferdig" and report_file.progress == 100
    pdf = client.get(f"/kartlegginger/test/resultater/rapport/{report_file.pk}/")
    assert pdf["Content-Type"] == "application/pdf"
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "Testkartlegging" in text
    assert (
        as_("utenfor").get(f"/kartlegginger/test/resultater/rapport/{report_file.pk}/").status_code
        == 404
    )


def test_organisation_profile_has_the_five_headings(as_, two_answers):
    page = as_("leder").get("/kartlegginger/test/resultater/organisasjon/3901/").content.decode()
    for heading in (
        "Hvordan tjenesten er organisert",
        "Hvordan palliative pasienter identifiseres",
        "Hvordan samarbeidet fungerer",
        "Arbeid med pårørende, familie og frivillige",
        "Styrker og svakheter",
    ):
        assert heading in page
    assert "ulike svar fra samme organisasjon" in page  # koord_finnes: ja and nei


def test_unknown_organisation_is_404(as_, two_answers):
    assert as_("leder").get("/kartlegginger/test/resultater/organisasjon/0301/").status_code == 404


def test_disputed_fact_listed_and_leader_choice_recorded(as_, two_answers):
    from kartlegging.analysis.models import FactChoice
    from kartlegging.core.models import AuditEntry

    page = as_("gruppe").get("/kartlegginger/test/resultater/fakta/").content.decode()
    assert "Horten: Har kommunen kreftkoordinator?" in page
    assert "Bruk dette svaret" not in page  # the project group reads, changes nothing
    leader = as_("leder")
    page = leader.get("/kartlegginger/test/resultater/fakta/").content.decode()
    response = page.split('name="respons" value="')[1].split('"')[0]
    reply = leader.post(
        "/kartlegginger/test/resultater/fakta/velg/",
        {"organisasjon": "3901", "sporsmal": "koord_finnes", "respons": response},
    )
    assert reply.status_code == 302
    assert FactChoice.objects.get().value in ("ja", "nei")
    assert AuditEntry.objects.filter(action="fact.chosen").exists()
    assert "(valgt)" in leader.get("/kartlegginger/test/resultater/fakta/").content.decode()
    assert (
        as_("gruppe")
        .post(
            "/kartlegginger/test/resultater/fakta/velg/",
            {"organisasjon": "3901", "sporsmal": "koord_finnes", "respons": response},
        )
        .status_code
        == 403
    )


def test_results_page_names_the_questionnaire_it_shows(as_, two_answers):
    page = as_("gruppe").get("/kartlegginger/test/resultater/").content.decode()
    assert "Tabellene viser skjemaet «Lite testskjema»." in page


def test_report_file_name_is_in_oslo_time(two_answers):
    import datetime as dt

    report_file = ReportFile(
        survey=two_answers,
        format="pdf",
        requested_at=dt.datetime(2026, 11, 23, 18, 36, tzinfo=dt.UTC),
    )
    assert report_file.filename == "rapport-test-20261123-1936.pdf"


def test_results_page_when_a_theme_has_no_answered_scale_question(as_, survey, horten):
    from tests.reports.conftest import answered

    answers = {"respondent_rolle": ["annet"], "respondent_rolle_annet": ["Lege"]}
    answers |= {"koord_finnes": ["ja"], "kompetanse_utdyp": ["Mer hospitering."]}
    answered(survey, horten, "kun@h.example", answers)
    client = as_("leder")
    for theme in ("organisering", "kompetanse"):
        response = client.get(f"/kartlegginger/test/resultater/?tema={theme}")
        assert response.status_code == 200
        assert "Bygger på 1 innsendt besvarelse." in response.content.decode()
