"""«Glemt passord» pages in Chromium pass axe, with and without errors."""

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible


def test_forgotten_password_pages_pass_axe(page, live_server, transactional_db):
    page.goto(f"{live_server.url}/konto/logg-inn/")
    page.get_by_role("link", name="Glemt passordet?").click()
    assert_accessible(page)
    page.get_by_role("button", name="Send lenke").click()  # empty: an error summary
    expect(page.locator("#feiloppsummering")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("E-post").fill("noen@example.no")
    page.get_by_role("button", name="Send lenke").click()
    expect(page.get_by_role("heading", name="Sjekk e-posten din")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/konto/nytt-passord/MQ/ugyldig-lenke/")
    expect(page.get_by_text("Lenken virker ikke lenger")).to_be_visible()
    assert_accessible(page)
