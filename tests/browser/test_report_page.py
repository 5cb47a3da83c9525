"""The report as a web page: the project leader orders it, opens it, and it passes axe."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.browser.conftest import WCAG_TAGS, assert_accessible, log_in
from tests.recommendations.conftest import municipalities, people, vestfold  # noqa: F401

# WCAG 2.2 AA adds the target size of links (2.5.8); best practice adds one main,
# unique landmarks and no empty table headers.
REPORT_TAGS = [*WCAG_TAGS, "wcag22aa", "best-practice"]


def test_the_html_report_passes_axe_and_reflows(
    transactional_db,
    page,
    live_server,
    vestfold,  # noqa: F811
    people,  # noqa: F811
):
    log_in(page, live_server, "/kartlegginger/vestfold/resultater/")
    page.get_by_role("button", name="Lag nettside").click()
    page.get_by_role("link", name="Last ned HTML").click()
    expect(page.get_by_role("heading", name="Palliasjon i Vestfold", level=1)).to_be_visible()
    assert page.locator("main").count() == 1
    contents = page.get_by_role("navigation", name="Innhold")
    expect(contents.get_by_role("link", name="Sammendrag")).to_be_visible()
    # Styled with Designsystemet on screen: its theme's custom properties are present.
    accent = page.evaluate(
        "getComputedStyle(document.documentElement).getPropertyValue('--ds-color-accent-base-default')"
    )
    assert accent.strip()
    assert_accessible(page, REPORT_TAGS)
    # A contents link leads to its part.
    contents.get_by_role("link", name="Metode og svarprosent").click()
    expect(page.get_by_role("heading", name="Metode og svarprosent")).to_be_in_viewport()
    # Reflow at 320 px (WCAG 1.4.10): wide tables scroll in their frame, not the page.
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    assert_accessible(page, REPORT_TAGS)
