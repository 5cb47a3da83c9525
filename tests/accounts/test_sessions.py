"""«Hvor du er logget inn»: a staff user sees their own sessions and signs out elsewhere."""

from __future__ import annotations

import pytest
from django.test import Client

from kartlegging.accounts.models import StaffSession
from kartlegging.accounts.sessions import describe
from kartlegging.core.models import AuditEntry

pytestmark = pytest.mark.django_db
PAGE = "/konto/sikkerhet/"
FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1"
)


def signed_in(password, user_agent: str) -> Client:
    browser = Client(HTTP_USER_AGENT=user_agent)
    reply = browser.post("/konto/logg-inn/", {"username": "kari", "password": password})
    assert reply.status_code == 302
    return browser


def test_the_page_lists_every_browser_and_marks_this_one(staff, password):
    laptop = signed_in(password, FIREFOX)
    signed_in(password, SAFARI)
    page = laptop.get(PAGE).content.decode()
    assert "Firefox på Windows <strong>(denne)</strong>" in page
    assert "Safari på iPhone" in page
    assert "Logg ut alle andre steder" in page


def test_sign_out_elsewhere_ends_the_other_sessions_and_keeps_this_one(staff, password):
    laptop = signed_in(password, FIREFOX)
    phone = signed_in(password, SAFARI)
    assert phone.get(PAGE).status_code == 200
    reply = laptop.post(PAGE, follow=True)
    assert "Du er logget ut 1 annet sted." in reply.content.decode()
    assert phone.get(PAGE).status_code == 302  # back to the login page
    assert laptop.get(PAGE).status_code == 200
    assert StaffSession.objects.filter(user=staff).count() == 1
    assert AuditEntry.objects.get(action="session.ended_elsewhere").data == {"count": 1}


def test_logging_out_forgets_the_session(staff, password):
    laptop = signed_in(password, FIREFOX)
    laptop.get(PAGE)
    laptop.post("/konto/logg-ut/")
    assert not StaffSession.objects.exists()


def test_only_ones_own_sessions_are_listed(staff, password, django_user_model):
    other = django_user_model.objects.create_user("ola", password=password, is_staff=True)
    browser = Client(HTTP_USER_AGENT=SAFARI)
    browser.force_login(other)
    browser.get(PAGE)
    page = signed_in(password, FIREFOX).get(PAGE).content.decode()
    assert "Safari" not in page and "Du er ikke logget inn noe annet sted." in page


def test_the_password_alone_cannot_end_other_sessions(
    staff, password, require_2fa, confirmed_device
):
    signed_in(password, SAFARI)
    unverified = signed_in(password, FIREFOX)
    reply = unverified.post(PAGE)
    assert reply.status_code == 302 and reply["Location"].startswith("/konto/tofaktor/")
    assert StaffSession.objects.filter(user=staff).count() == 2


@pytest.mark.parametrize(
    "agent, shown",
    [
        (FIREFOX, "Firefox på Windows"),
        (SAFARI, "Safari på iPhone"),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.2903.70",
            "Edge på macOS",
        ),
        ("curl/8.5.0", "Ukjent nettleser"),
    ],
)
def test_browsers_are_described_briefly(agent, shown):
    assert describe(agent) == shown
