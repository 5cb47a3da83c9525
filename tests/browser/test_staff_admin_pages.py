"""The audit log and members pages in Chromium pass axe."""

from kartlegging.core.models import audit
from tests.browser.conftest import assert_accessible, log_in


def test_audit_log_page_passes_axe(page, live_server, leader, fieldwork, survey):
    audit("survey.opened", leader, survey)
    log_in(page, live_server, "/kartlegginger/test/logg/")
    assert page.get_by_role("heading", name="Logg over handlinger").is_visible()
    assert_accessible(page)


def test_members_page_passes_axe(page, live_server, leader, fieldwork):
    log_in(page, live_server, "/kartlegginger/test/medlemmer/")
    assert page.get_by_role("heading", name="Hvem som jobber med kartleggingen").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send invitasjon").click()  # empty form: errors
    assert page.locator("#feiloppsummering").is_visible()
    assert_accessible(page)


def test_privacy_pages_pass_axe_and_the_leader_deletes_in_the_browser(
    page,
    live_server,
    leader,
    fieldwork,
    survey,
):
    survey.close()
    log_in(page, live_server, "/kartlegginger/test/personvern/")
    assert page.get_by_role("heading", name="Personvern").is_visible()
    assert_accessible(page)
    page.get_by_label("Jeg forstår at slettingen ikke kan angres").check()
    page.get_by_role("button", name="Slett personopplysningene nå").click()
    assert page.get_by_text("Personopplysningene til 2 respondenter er slettet.").is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/kartlegginger/test/")
    assert page.get_by_text("Slettet respondent").first.is_visible()
    assert page.get_by_text("Kari Testesen").count() == 0


def test_respondent_delete_page_passes_axe(page, live_server, leader, fieldwork):
    pk = fieldwork["kari"].respondent.pk
    log_in(page, live_server, f"/kartlegginger/test/respondenter/{pk}/slett-personopplysninger/")
    assert page.get_by_role("heading", name="Slette personopplysninger?").is_visible()
    assert_accessible(page)


def test_codebook_passes_axe(page, live_server, leader, fieldwork):
    log_in(page, live_server, "/kartlegginger/test/kodebok/")
    assert page.get_by_role("heading", name="Kodebok", exact=True).is_visible()
    assert_accessible(page)
