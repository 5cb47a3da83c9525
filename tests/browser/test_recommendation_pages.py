"""Recommendations in a real browser: the leader edits a finding; every page passes axe
(overview, scorecard, region and the leader's «Kunnskapsgrunnlag»)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, log_in
from tests.recommendations.conftest import municipalities, people, vestfold  # noqa: F401


def test_scorecard_region_and_overview_pass_axe_and_leader_edits_a_finding(
    transactional_db,
    page,
    live_server,
    vestfold,  # noqa: F811
    people,  # noqa: F811
):
    log_in(page, live_server, "/kartlegginger/vestfold/anbefalinger/")
    expect(page.get_by_role("heading", name="Anbefalinger", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Holmestrand").click()
    expect(page.get_by_role("heading", name="Holmestrand")).to_be_visible()
    assert_accessible(page)
    finding = page.locator("#ORG-06")
    finding.get_by_text("Godta, endre eller avvis").click()
    finding.get_by_label("Endret").check()
    finding.get_by_label("Funn (egen formulering)").fill("Holmestrand planlegger en enhet i 2027.")
    finding.get_by_role("button", name="Lagre vurdering").click()
    expect(page.get_by_text("Vurderingen av ORG-06 er lagret.")).to_be_visible()
    page.reload()
    expect(page.locator("#ORG-06")).to_contain_text("Holmestrand planlegger en enhet i 2027.")
    assert_accessible(page)
    page.goto(f"{live_server.url}/kartlegginger/vestfold/anbefalinger/region/")
    expect(page.get_by_role("table", name="Kommuner × nøkkelindikatorer")).to_be_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/kartlegginger/vestfold/anbefalinger/kunnskapsgrunnlag/")
    expect(page.get_by_role("heading", name="Kunnskapsgrunnlag", exact=True)).to_be_visible()
    assert_accessible(page)
