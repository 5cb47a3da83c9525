"""The questionnaire editor in Chromium: a project leader builds a questionnaire with one
condition without YAML, previews it, takes it into use, and a respondent sees the follow-up
question come and go; axe on every editor page."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import QuestionnaireDraft, QuestionnaireVersion
from kartlegging.surveys.models import Survey
from tests.browser.conftest import assert_accessible, log_in
from tests.browser.test_respondent import wait_saved
from tests.conftest import invite

QUESTION = "Vet tjenestene hvem koordinatoren er?"


def test_build_preview_take_into_use_and_answer_a_conditional_question(
    page, live_server, leader, survey, horten
):
    log_in(page, live_server, "/sporreskjema/")
    expect(page.get_by_role("heading", name="Spørreskjemaer", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Lag en kopi av Lite testskjema").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(utkast)")
    assert_accessible(page)

    page.get_by_role("link", name="Endre tittel og introduksjon").click()
    assert_accessible(page)
    page.get_by_label("Tittel").fill("Lite testskjema for Agder")
    page.get_by_label("Nøkkel").fill("mini-agder")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Lite testskjema for Agder")

    page.get_by_role("link", name="Legg til spørsmål i Organisering").click()
    assert_accessible(page)
    page.get_by_label("Nøkkel").fill("koord_kjent")
    page.get_by_label("Spørsmål", exact=True).fill(QUESTION)
    page.get_by_label("Svartype").select_option("ja_nei")
    page.get_by_label("Vis bare hvis spørsmålet").select_option("koord_finnes")
    page.get_by_label("Sammenligning").select_option("er")
    page.get_by_label(re.compile(r"^Svar \(valgfritt\)")).fill("ja")
    page.get_by_role("button", name="Lagre").click()
    expect(page.get_by_text("Spørsmålet «koord_kjent» er lagret.")).to_be_visible()
    expect(
        page.get_by_text("Vises bare hvis «Har kommunen kreftkoordinator?» er ja.").last
    ).to_be_visible()

    # A change the loader refuses is shown beside its field, in Norwegian.
    page.get_by_role("link", name="Endre koord_stilling_pct").click()
    assert_accessible(page)
    page.get_by_label("Minst").fill("50")
    page.get_by_label("Høyst").fill("10")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#id_min-feil")).to_have_text("'min' er større enn 'maks'")
    assert_accessible(page)
    page.get_by_role("link", name="Avbryt").click()

    # The preview, as on a phone, shows the follow-up only after «Ja».
    page.get_by_role("link", name="Forhåndsvis").click()
    assert_accessible(page)
    preview = page.frame_locator("iframe[title='Forhåndsvisning på mobil']")
    preview.get_by_role("link", name="Neste del").click()
    follow_up = preview.get_by_role("group", name=QUESTION)
    expect(follow_up).to_be_hidden()
    preview.get_by_role("group", name=re.compile("Har kommunen kreftkoordinator")).get_by_label(
        "Ja"
    ).check()
    expect(follow_up).to_be_visible()
    draft = f"{live_server.url}/sporreskjema/utkast/{QuestionnaireDraft.objects.get().pk}/"
    page.goto(draft + "forhandsvisning/side/?del=2")
    assert_accessible(page)

    page.goto(draft)
    page.get_by_role("link", name="Ta i bruk").click()
    assert_accessible(page)
    expect(page.get_by_text("1 nytt spørsmål")).to_be_visible()
    page.get_by_role("button", name="Ja, ta i bruk").click()
    expect(page.get_by_text("«Lite testskjema for Agder» versjon 1 er tatt i bruk")).to_be_visible()
    assert_accessible(page)

    # A survey with the new version; the respondent sees the follow-up come and go.
    version = QuestionnaireVersion.objects.get(key="mini-agder")
    kristiansand = Organisation.objects.create(
        number="4204", name="Kristiansand", county="Agder", population=116986
    )
    agder = Survey.objects.create(slug="agder", title="Agder 2027", questionnaire=version)
    agder.organisations.set([kristiansand])
    agder.open()
    respondent = invite(agder, kristiansand, email="kari@kristiansand.example")
    page.goto(f"{live_server.url}{respondent.url()}del/organisering/")
    follow_up = page.get_by_role("group", name=QUESTION)
    expect(follow_up).to_be_hidden()
    coordinator = page.get_by_role("group", name=re.compile("Har kommunen kreftkoordinator"))
    coordinator.get_by_label("Ja").check()
    expect(follow_up).to_be_visible()
    wait_saved(page)
    coordinator.get_by_label("Nei").check()
    expect(follow_up).to_be_hidden()


def test_the_other_editor_pages_pass_axe(page, live_server, leader, survey):
    log_in(page, live_server, "/sporreskjema/")
    page.get_by_role("button", name="Lag en kopi av Lite testskjema").click()
    draft = QuestionnaireDraft.objects.get()
    base = f"{live_server.url}/sporreskjema/utkast/{draft.pk}/"
    for path, heading in (
        ("seksjon/organisering/", "Endre seksjonen «Organisering»"),
        ("seksjon/ny/", "Ny seksjon"),
        ("sporsmal/koord_finnes/slett/", "Fjerne spørsmålet?"),
        ("seksjon/kompetanse/slett/", "Slette seksjonen «Kompetanse»?"),
        ("slett/", "Slette utkastet?"),
    ):
        page.goto(base + path)
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        assert_accessible(page)
    page.goto(base + "sporsmal/koord_finnes/slett/")
    expect(page.get_by_text("ORG-01")).to_be_visible()  # the rule that reads it
    page.get_by_role("link", name="Nei, behold det").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("(utkast)")
    page.goto(f"{live_server.url}/sporreskjema/versjon/{survey.questionnaire.pk}/")
    assert_accessible(page)
    page.goto(
        f"{live_server.url}/sporreskjema/sammenlign/?fra=v-{survey.questionnaire.pk}&til=u-{draft.pk}"
    )
    expect(page.get_by_text("Ingen endringer.")).to_be_visible()
    assert_accessible(page)
    # A file that is not a questionnaire: the problem, and nothing saved.
    page.goto(f"{live_server.url}/sporreskjema/")
    page.get_by_label("Fil").set_input_files(
        files=[
            {
                "name": "skjema.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": b"PK\x03\x04 ikke en arbeidsbok",
            }
        ]
    )
    page.get_by_role("button", name="Last opp").click()
    expect(page.get_by_text("Filen kan ikke leses som en Excel-arbeidsbok")).to_be_visible()
    assert_accessible(page)
    assert QuestionnaireDraft.objects.count() == 1
