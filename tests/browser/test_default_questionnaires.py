"""The shipped questionnaires in a real browser: every page accessible, answerable to the end."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.responses.models import Response
from kartlegging.surveys.models import Survey
from tests.browser.conftest import ROOT, assert_accessible
from tests.conftest import invite


@pytest.fixture
def default_survey(transactional_db, horten):
    hospital = Organisation.objects.create(
        number="HF-SIV", name="Sykehuset i Vestfold", kind="helseforetak", county="Vestfold"
    )
    versions = {}
    for key in ("palliasjon-kommune", "palliasjon-helseforetak"):
        source = (ROOT / "questionnaires" / f"{key}.yaml").read_text(encoding="utf-8")
        versions[key], _created = load_questionnaire(source)
    survey = Survey.objects.create(
        slug="vestfold",
        title="Kartlegging i Vestfold",
        questionnaire=versions["palliasjon-kommune"],
        hospital_questionnaire=versions["palliasjon-helseforetak"],
    )
    survey.organisations.set([horten, hospital])
    survey.open()
    return survey


@pytest.mark.parametrize("number", ["3901", "HF-SIV"])
def test_every_page_of_the_default_questionnaires_passes_axe(
    page, live_server, default_survey, number
):
    organisation = Organisation.objects.get(number=number)
    invited = invite(default_survey, organisation)
    questionnaire = default_survey.questionnaire_for(organisation).definition
    base = live_server.url + invited.url()
    for section in questionnaire.sections:
        page.goto(f"{base}del/{section.key}/")
        expect(page.get_by_role("heading", level=1)).to_have_text(section.title)
        assert_accessible(page)
    page.goto(base + "oppsummering/")
    assert_accessible(page)


def test_whole_municipal_questionnaire_on_a_phone(page, live_server, default_survey, horten):
    invited = invite(default_survey, horten)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + invited.url())
    page.get_by_role("link", name="Start").click()
    pages = 0
    while page.get_by_role(
        "button", name=re.compile("Lagre og (gå videre|se oppsummering)")
    ).count():
        pages += 1
        # Answer every visible required question with its first option.
        # (Ids are read first: follow-up questions appearing would shift positional locators.)
        required = page.locator(".sporsmal:not([hidden]):has(.obligatorisk)").evaluate_all(
            "els => els.map(e => e.id)"
        )
        for group_id in required:
            radios = page.locator(f"#{group_id} input[type=radio]")
            if radios.count():
                with page.expect_response(lambda r: r.request.method == "POST"):
                    radios.first.check()
        page.get_by_role("button", name=re.compile("Lagre og (gå videre|se oppsummering)")).click()
        assert pages < 40, "the journey does not end"
    expect(page.get_by_role("heading", name="Oppsummering")).to_be_visible()
    missing = page.locator(".ds-alert").inner_text() if page.locator(".ds-alert").count() else ""
    assert not missing, (
        missing,
        Response.objects.get(respondent=invited.respondent).answer_values(),
    )
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_role("heading", name="Takk! Svarene dine er sendt inn.")).to_be_visible()
    assert pages == len(
        default_survey.questionnaire.definition.visible_sections(
            Response.objects.get(respondent=invited.respondent).answer_values()
        )
    )


@pytest.mark.parametrize("exclusive", ["Ingen verktøy", "Vet ikke"])
def test_an_exclusive_box_with_others_is_refused_at_once_and_never_shown_as_saved(
    page, live_server, default_survey, horten, exclusive
):
    invited = invite(default_survey, horten)
    page.goto(f"{live_server.url}{invited.url()}del/helhetlig_identifisering/")
    tools = page.get_by_role("group", name=re.compile("verktøy", re.I)).first
    status = page.locator("#lagrestatus")
    tools.get_by_label("SPICT", exact=True).check()
    expect(status).to_have_text(re.compile(r"^Lagret kl\. \d\d:\d\d"))
    tools.get_by_label(exclusive, exact=True).check()
    expect(status).to_have_text("Ikke lagret – se feilen ved spørsmålet.")
    error = tools.locator(".ds-validation-message")
    expect(error).to_have_text(f"«{exclusive}» kan ikke kombineres med andre svar.")
    page.wait_for_timeout(500)  # no late «Lagret» may replace the refusal
    expect(status).to_have_text("Ikke lagret – se feilen ved spørsmålet.")
    page.reload()
    expect(tools.get_by_label("SPICT", exact=True)).to_be_checked()
    expect(tools.get_by_label(exclusive, exact=True)).not_to_be_checked()
