"""Accessibility defects from the audit, checked in a real Chromium (issue 10)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.responses import test_respondent_pages as register

NARROW = {"width": 320, "height": 640}
# A questionnaire asking for the municipality number and population, and Holmestrand's link.
holmestrand, register_survey = register.holmestrand, register.register_survey
holmestrand_invited = register.holmestrand_invited

# Elements wider than the viewport, to say what breaks the reflow when the test fails.
OVERFLOWING = """() => [...document.querySelectorAll('body *')]
  .filter((el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
  .slice(0, 12)
  .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (el.className && el.className.baseVal === undefined ? '.' + el.className : '')
    + ' ' + Math.round(el.getBoundingClientRect().right))"""


def test_dashboard_reflows_at_320_px_and_the_chart_scales(page, live_server, leader, fieldwork):
    page.set_viewport_size(NARROW)
    log_in(page, live_server)
    expect(page.get_by_role("heading", name="Testkartlegging")).to_be_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"page is {width} px wide: {page.evaluate(OVERFLOWING)}"
    chart = page.locator(".diagram svg")
    box = chart.bounding_box()
    assert box is not None and box["x"] + box["width"] <= 320
    assert box["height"] / box["width"] == pytest.approx(80 / 320, rel=0.05)  # scaled, not cut
    assert_accessible(page)


# Every text the status region shows from now on, recorded on the node itself.
WATCH_STATUS = """() => {
  const region = document.getElementById('lagrestatus');
  region.__samme_node = true;
  window.__statustekster = [];
  new MutationObserver(() => window.__statustekster.push(region.textContent.trim()))
    .observe(region, {childList: true, subtree: true, characterData: true});
}"""
SAME_NODE = """() => {
  const region = document.getElementById('lagrestatus');
  return region.__samme_node === true && region.getAttribute('role') === 'status';
}"""


def test_save_status_is_one_persistent_region_whose_text_changes(
    page, live_server, invited, survey
):
    page.goto(f"{live_server.url}{invited.url('del/organisering/')}")
    page.evaluate(WATCH_STATUS)
    status = page.locator("#lagrestatus")
    page.get_by_role("group", name=re.compile("Har kommunen kreftkoordinator")).get_by_label(
        "Ja"
    ).check()
    expect(status).to_have_text(re.compile(r"^Lagret kl\. \d\d:\d\d$"))
    assert page.evaluate(SAME_NODE)

    # A refused value (422): the region says so, and never «Lagret».
    page.evaluate("window.__statustekster = []")
    page.get_by_label("Pleiefaktor på dagtid").fill("7")
    expect(status).to_have_text("Ikke lagret – se feilen ved spørsmålet.")
    assert page.evaluate(SAME_NODE)

    # The survey is closed in between (409): same node, «Ikke lagret – …», never «Lagret».
    survey.close()
    page.get_by_label("Pleiefaktor på dagtid").fill("0,5")
    expect(status).to_have_text(re.compile(r"^Ikke lagret – kartleggingen er lukket"))
    assert page.evaluate(SAME_NODE)
    texts = page.evaluate("window.__statustekster")
    assert texts and not [t for t in texts if t.startswith("Lagret")], texts
    assert_accessible(page)


def test_register_values_are_shown_for_confirming_and_saved_only_with_the_section(
    page, live_server, holmestrand_invited
):
    from kartlegging.responses.models import Answer, Response

    page.goto(f"{live_server.url}{holmestrand_invited.url('del/kommunen/')}")
    number = page.get_by_label("Hvilken kommune svarer du for? Oppgi kommunenummeret.")
    expect(number).to_have_value("3903")
    expect(number).to_have_accessible_description(
        re.compile("Hentet fra registeret – rett hvis det er feil.")
    )
    expect(page.get_by_label("Omtrent hvor mange innbyggere har kommunen?")).to_have_value("25715")
    assert_accessible(page)
    assert not Answer.objects.exists()
    page.get_by_role("button", name="Lagre og se oppsummering").click()
    expect(page.get_by_role("heading", name="Oppsummering", exact=True)).to_be_visible()
    expect(page.locator(".svarliste")).to_contain_text("3903")
    stored = Response.objects.get(respondent=holmestrand_invited.respondent).answer_values()
    assert stored == {"kommunenummer": 3903, "innbyggere": 25715}
