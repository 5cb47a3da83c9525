"""A respondent passes the invitation to a colleague; tracking continues unbroken."""

from __future__ import annotations

import pytest
from django.core import mail as outbox

from kartlegging.surveys import mail
from kartlegging.surveys.models import Respondent
from kartlegging.surveys.progress import survey_progress

pytestmark = pytest.mark.django_db
COLLEAGUE = {
    "name": "Ola Kollega",
    "email": "Ola@Horten.example",
    "role": "Ressurssykepleier",
    "message": "Du kjenner hjemmetjenesten best.",
}


def test_welcome_page_offers_to_hand_on(client, invited):
    assert invited.url("gi-videre/") in client.get(invited.url()).content.decode()


def test_hand_on_invites_the_colleague_and_marks_the_original(client, invited):
    reply = client.post(invited.url("gi-videre/"), COLLEAGUE)
    assert reply.status_code == 302
    colleague = Respondent.objects.get(email="ola@horten.example")
    assert colleague.organisation == invited.respondent.organisation
    invited.respondent.refresh_from_db()
    assert invited.respondent.handed_to == colleague
    [message] = outbox.outbox
    assert message.to == ["ola@horten.example"]
    assert "Kari Testesen har gitt oppgaven med å svare videre til deg." in message.body
    assert "Du kjenner hjemmetjenesten best." in message.body
    page = client.get(invited.url()).content.decode()
    assert "Du ga oppgaven videre til Ola Kollega" in page


def test_handed_on_respondent_is_not_reminded_and_tracking_continues(client, survey, invited):
    mail.queue_invitations(survey)
    client.post(invited.url("gi-videre/"), COLLEAGUE)
    progress = survey_progress(survey)
    [org] = progress.organisations
    assert org.total == 1 and org.status == "invitert"  # the colleague counts, not Kari
    assert [r.status_label for r in org.respondents if r.handed_on] == ["Overlatt til Ola Kollega"]
    import datetime as dt

    from django.utils import timezone

    later = timezone.now() + dt.timedelta(days=10)
    reminded = [e.respondent.email for e in mail.queue_reminders(survey, now=later)]
    assert reminded == ["ola@horten.example"]


@pytest.mark.parametrize(
    ("email", "message"),
    [
        ("kari@horten.example", "Skriv e-postadressen til kollegaen, ikke din egen."),
        ("ikke-en-adresse", "Oppgi en gyldig e-postadresse"),
    ],
)
def test_bad_colleague_address_is_refused(client, invited, email, message):
    reply = client.post(invited.url("gi-videre/"), {**COLLEAGUE, "email": email})
    assert reply.status_code == 422
    assert message in reply.content.decode()
    assert Respondent.objects.count() == 1


def test_colleague_already_invited_is_refused(client, survey, horten, invited):
    from tests.conftest import invite

    invite(survey, horten, email="ola@horten.example", name="Ola")
    reply = client.post(invited.url("gi-videre/"), COLLEAGUE)
    assert "ola@horten.example er allerede invitert til kartleggingen." in reply.content.decode()
