"""A respondent answers in a real Chromium: mouse, keyboard only, phone size, axe-core."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kartlegging.responses.models import Response
from tests.browser.conftest import Weigher, assert_accessible

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def start(live_server, invited):
    return f"{live_server.url}{invited.url()}"


def wait_saved(page) -> None:
    expect(page.locator("#lagrestatus")).to_have_text(re.compile(r"Lagret kl\. \d\d:\d\d"))


def test_answer_three_sections_reload_and_submit_on_a_phone(page, start, invited):
    page.set_viewport_size(PHONE)
    page.goto(start)
    page.get_by_role("link", name="Start").click()
    expect(page.get_by_text("Del 1 av 3")).to_be_visible()
    page.get_by_label("Kreftkoordinator").check()
    wait_saved(page)
    page.get_by_role("button", name="Lagre og gå videre").click()

    follow_up = page.get_by_label("Hvor stor er stillingsressursen?")
    expect(follow_up).to_be_hidden()
    page.get_by_role("group", name=re.compile("Har kommunen kreftkoordinator")).get_by_label(
        "Ja"
    ).check()
    expect(follow_up).to_be_visible()  # the conditional question appears without a reload
    wait_saved(page)
    follow_up.fill("60")
    wait_saved(page)
    page.get_by_label("SPICT").check()
    wait_saved(page)
    page.get_by_role("button", name="Lagre og gå videre").click()

    page.get_by_label("Utdyp gjerne").fill("Vi har et godt samarbeid med fastlegene.")
    wait_saved(page)
    page.reload()
    expect(page.get_by_label("Utdyp gjerne")).to_have_value(
        "Vi har et godt samarbeid med fastlegene."
    )
    page.goto(start + "del/organisering/")
    expect(page.get_by_label("Hvor stor er stillingsressursen?")).to_have_value("60")
    expect(page.get_by_label("SPICT")).to_be_checked()

    page.goto(start + "oppsummering/")
    expect(page.get_by_text("60 % stilling")).to_be_visible()
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_role("heading", name="Takk! Svarene dine er sendt inn.")).to_be_visible()
    assert Response.objects.get(respondent=invited.respondent).is_submitted


def test_invalid_number_shows_message_beside_the_field(page, start, invited):
    page.goto(start + "del/organisering/")
    page.get_by_label("Pleiefaktor på dagtid").fill("7")
    error = page.locator("#feil-enhet_pleiefaktor_dag")
    expect(error).to_have_text("Skriv et tall mellom 0 og 2.")
    expect(page.get_by_label("Pleiefaktor på dagtid")).to_have_attribute("aria-invalid", "true")
    page.get_by_label("Pleiefaktor på dagtid").fill("0,5")
    expect(error).to_be_hidden()
    wait_saved(page)


def tab_to(page, selector: str, limit: int = 60) -> None:
    """Press Tab until the focused element matches selector (keyboard only, no clicks)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"Tab never reached {selector}")


def test_whole_journey_with_keyboard_only(page, start, invited):
    page.goto(start)
    tab_to(page, "a.ds-button")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Del 1 av 3")).to_be_visible()
    tab_to(page, "input[name=respondent_rolle]")
    page.keyboard.press("Space")
    wait_saved(page)
    tab_to(page, "button[value=neste]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Del 2 av 3")).to_be_visible()
    tab_to(page, "input[name=koord_finnes]")
    page.keyboard.press("Space")  # first option: Ja
    wait_saved(page)
    tab_to(page, "input[name=koord_stilling_pct]")
    page.keyboard.type("80")
    tab_to(page, "button[value=neste]")
    page.keyboard.press("Enter")

    expect(page.get_by_text("Del 3 av 3")).to_be_visible()
    tab_to(page, "textarea[name=kompetanse_utdyp]")
    page.keyboard.type("Skrevet med tastaturet.")
    tab_to(page, "button[value=neste]")
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Oppsummering")).to_be_visible()
    tab_to(page, "form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Takk! Svarene dine er sendt inn.")).to_be_visible()
    answers = Response.objects.get(respondent=invited.respondent).answer_values()
    assert answers == {
        "respondent_rolle": "kreftkoordinator",
        "koord_finnes": "ja",
        "koord_stilling_pct": 80,
        "kompetanse_utdyp": "Skrevet med tastaturet.",
    }


def test_every_respondent_page_passes_axe(page, start, invited, survey):
    pages = ["", "del/bakgrunn/", "del/organisering/", "del/kompetanse/", "oppsummering/"]
    for suffix in pages:
        page.goto(start + suffix)
        assert_accessible(page)
    # Error states: a section with an error summary, and a refused submit.
    page.goto(start + "del/organisering/")
    page.route("**/*.js", lambda route: route.abort())  # the plain-POST path
    page.goto(start + "del/organisering/")
    page.get_by_label("Pleiefaktor på dagtid").fill("mye")
    page.get_by_role("button", name="Lagre og gå videre").click()
    expect(page.get_by_text("Svarene ble ikke lagret")).to_be_visible()
    assert_accessible(page)
    page.goto(start + "oppsummering/")
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_text("Svarene ble ikke sendt inn")).to_be_visible()
    assert_accessible(page)
    page.unroute("**/*.js")
    # Receipt, closed survey and an unknown link.
    page.goto(start + "del/bakgrunn/")
    page.get_by_label("Kreftkoordinator").check()
    wait_saved(page)
    page.goto(start + "del/organisering/")
    page.get_by_role("group", name=re.compile("Har kommunen kreftkoordinator")).get_by_label(
        "Nei"
    ).check()
    wait_saved(page)
    page.goto(start + "oppsummering/")
    page.get_by_role("button", name="Send inn").click()
    expect(page.get_by_role("heading", name="Takk! Svarene dine er sendt inn.")).to_be_visible()
    assert_accessible(page)
    page.goto(start.split("/s/")[0] + "/s/" + "x" * 43 + "/")
    expect(page.get_by_role("heading", name="Fant ikke siden")).to_be_visible()
    assert_accessible(page)
    survey.close()
    page.goto(start)
    assert_accessible(page)


def test_pages_without_javascript_still_save(page, start, invited):
    page.route("**/*.js", lambda route: route.abort())
    page.goto(start + "del/bakgrunn/")
    page.get_by_label("Ressurssykepleier").check()
    page.get_by_role("button", name="Lagre og gå videre").click()
    expect(page.get_by_text("Del 2 av 3")).to_be_visible()
    assert Response.objects.get(respondent=invited.respondent).answer_values() == {
        "respondent_rolle": "ressurssykepleier"
    }


def test_respondent_pages_are_light(browser, start, invited):
    for suffix in ("", "del/organisering/", "del/kompetanse/", "oppsummering/"):
        context = browser.new_context()  # empty cache: count everything a first visit loads
        page = context.new_page()
        weigher = Weigher(page)
        page.goto(start + suffix)
        page.wait_for_load_state("networkidle")
        print(
            f"page weight {suffix or 'velkomst'}: {weigher.total / 1024:.1f} KB "
            f"over {len(weigher.sizes)} files"
        )
        assert weigher.total < 150 * 1024, weigher.sizes
        context.close()
