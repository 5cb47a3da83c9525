"""The project leader in a real Chromium: login, dashboard, reminders, every staff page with axe."""

from __future__ import annotations

from playwright.sync_api import expect

from kartlegging.surveys.models import Email
from tests.browser.conftest import assert_accessible, log_in


def test_leader_reminds_one_organisation_and_status_updates_without_reload(
    page, live_server, leader, fieldwork
):
    log_in(page, live_server)
    expect(page.get_by_role("heading", name="Testkartlegging")).to_be_visible()
    row = page.get_by_role("row", name="Larvik (ingen svar)")
    expect(row).to_contain_text("ingen svar")
    page.evaluate("window.__samme_side = true")  # disappears if the page reloads
    row.get_by_role("button", name="Send påminnelse").click()
    expect(page.locator("#statusmelding")).to_have_text("1 påminnelser er lagt i kø for sending.")
    assert page.evaluate("window.__samme_side") is True
    reminder = Email.objects.get(kind=Email.Kind.REMINDER)
    assert reminder.respondent == fieldwork["ola"].respondent and reminder.sent_at


def test_every_staff_page_passes_axe(page, live_server, leader, fieldwork, survey):
    pk = fieldwork["kari"].respondent.pk
    log_in(page, live_server)
    for path in [
        "/kartlegginger/",
        "/kartlegginger/test/",
        "/kartlegginger/ny/",
        "/kartlegginger/test/innstillinger/",
        "/kartlegginger/test/e-posttekster/",
        "/kartlegginger/test/respondenter/ny/",
        "/kartlegginger/test/respondenter/import/",
        "/organisasjoner/import/",
        f"/kartlegginger/test/respondenter/{pk}/",
        f"/kartlegginger/test/respondenter/{pk}/endre/",
        "/konto/sikkerhet/",
        "/konto/tofaktor/",
    ]:
        page.goto(live_server.url + path)
        assert_accessible(page)
    # Error states: a form with errors.
    page.goto(live_server.url + "/kartlegginger/test/respondenter/ny/")
    page.get_by_role("button", name="Lagre").click()
    expect(page.locator("#feiloppsummering")).to_be_visible()
    assert_accessible(page)
    page.context.clear_cookies()
    page.goto(live_server.url + "/konto/logg-inn/")
    assert_accessible(page)


def test_results_pages_pass_axe_and_report_figures_have_text(
    page, live_server, leader, fieldwork, survey
):
    from kartlegging.responses.services import open_response, save_answers, submit

    questionnaire = survey.questionnaire.definition
    for invited in fieldwork.values():
        response = open_response(invited.respondent)
        save_answers(
            response,
            questionnaire,
            {
                "respondent_rolle": ["kreftkoordinator"],
                "koord_finnes": ["ja"],
                "ident_verktoy": ["spict"],
            },
        )
        submit(response, questionnaire)
    log_in(page, live_server, "/kartlegginger/test/resultater/")
    expect(page.get_by_role("heading", name="Resultater", exact=True)).to_be_visible()
    assert_accessible(page)
    page.goto(live_server.url + "/kartlegginger/test/resultater/?gruppe=size")
    assert_accessible(page)
    page.goto(live_server.url + "/kartlegginger/test/resultater/organisasjon/3901/")
    assert_accessible(page)
    page.goto(live_server.url + "/kartlegginger/test/resultater/")
    page.get_by_role("button", name="Lag nettside").click()
    link = page.get_by_role("link", name="Last ned HTML")
    expect(link).to_be_visible()
    link.click()
    images = page.locator("figure img")
    assert images.count() > 0
    for index in range(images.count()):
        assert images.nth(index).get_attribute("alt")
    assert_accessible(page)
