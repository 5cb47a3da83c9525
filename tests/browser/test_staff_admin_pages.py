"""The audit log and members pages in Chromium pass axe."""

from kartlegging.core.models import audit
from tests.browser.conftest import assert_accessible
from tests.browser.test_dashboard import fieldwork, leader, log_in  # noqa: F401


def test_audit_log_page_passes_axe(page, live_server, leader, fieldwork, survey):  # noqa: F811
    audit("survey.opened", leader, survey)
    log_in(page, live_server, "/kartlegginger/test/logg/")
    assert page.get_by_role("heading", name="Logg over handlinger").is_visible()
    assert_accessible(page)


def test_members_page_passes_axe(page, live_server, leader, fieldwork):  # noqa: F811
    log_in(page, live_server, "/kartlegginger/test/medlemmer/")
    assert page.get_by_role("heading", name="Hvem som jobber med kartleggingen").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Send invitasjon").click()  # empty form: errors
    assert page.locator("#feiloppsummering").is_visible()
    assert_accessible(page)
