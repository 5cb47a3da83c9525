"""A respondent passes the invitation to a colleague; tracking continues unbroken."""

from __future__ import annotations

import pytest
from django.core import mail as outbox

from kartlegging.responses import followup
from kartlegging.responses.progress import survey_progress
from kartlegging.surveys import handover
from kartlegging.surveys.models import Email, Respondent
from tests.conftest import Invited, invite

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
    followup.queue_invitations(survey)
    client.post(invited.url("gi-videre/"), COLLEAGUE)
    progress = survey_progress(survey)
    [org] = progress.organisations
    assert org.total == 1 and org.status == "invitert"  # the colleague counts, not Kari
    assert [r.status_label for r in org.respondents if r.handed_on] == ["Overlatt til Ola Kollega"]
    import datetime as dt

    from django.utils import timezone

    later = timezone.now() + dt.timedelta(days=10)
    reminded = [e.respondent.email for e in followup.queue_reminders(survey, now=later)]
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


# --------------------------------------------------------------------------- limits (issue 10)


def colleague(n: int, **extra) -> dict:
    return {**COLLEAGUE, "name": f"Kollega {n}", "email": f"kollega{n}@horten.example", **extra}


def test_fourth_hand_on_from_one_link_is_refused_and_nothing_is_queued(client, invited):
    for n in range(3):
        assert client.post(invited.url("gi-videre/"), colleague(n)).status_code == 302
    reply = client.post(invited.url("gi-videre/"), colleague(3))
    assert reply.status_code == 422
    assert "allerede gitt videre 3 ganger" in reply.content.decode()
    assert Respondent.objects.count() == 4  # Kari and three colleagues
    assert len(outbox.outbox) == 3
    assert Email.objects.count() == 3


def test_hand_on_limit_counts_the_whole_chain(client, invited):
    link = invited
    for n in range(3):
        assert client.post(link.url("gi-videre/"), colleague(n)).status_code == 302
        nxt = Respondent.objects.get(email=f"kollega{n}@horten.example")
        link = Invited(nxt, nxt.issue_token())
    reply = client.post(link.url("gi-videre/"), colleague(3))
    assert reply.status_code == 422
    assert not Respondent.objects.filter(email="kollega3@horten.example").exists()


def test_hand_on_page_says_so_when_the_limit_is_reached(client, survey, invited):
    survey.contact_email = "usht@horten.example"
    survey.save()
    for n in range(3):
        handover.hand_on(invited.respondent, **colleague(n))
    page = client.get(invited.url("gi-videre/")).content.decode()
    assert "Skriv til prosjektlederen på usht@horten.example" in page
    assert "<form" not in page.split("</h1>", 1)[1]


def test_address_outside_the_respondents_domains_is_refused(client, invited):
    reply = client.post(invited.url("gi-videre/"), colleague(1, email="ola@evil.example"))
    assert reply.status_code == 422
    page = reply.content.decode()
    assert "Oppgaven kan bare gis videre til en jobbadresse som slutter på @horten.example." in page
    assert Respondent.objects.count() == 1 and not outbox.outbox


def test_public_webmail_is_not_a_default_work_domain(client, survey, horten, invited):
    invite(survey, horten, email="privat@gmail.com", name="Privat")
    reply = client.post(invited.url("gi-videre/"), colleague(1, email="ola@gmail.com"))
    assert reply.status_code == 422


def test_survey_list_of_domains_replaces_the_default(client, survey, invited):
    survey.handover_domains = "horten.kommune.no, vestfold.example"
    survey.save()
    refused = client.post(invited.url("gi-videre/"), colleague(1))
    assert "@horten.kommune.no eller @vestfold.example" in refused.content.decode()
    ok = client.post(invited.url("gi-videre/"), colleague(2, email="ola@helse.vestfold.example"))
    assert ok.status_code == 302


@pytest.mark.parametrize(
    "note",
    [
        "Klikk her: http://evil.example/",
        "Se HTTPS://evil.example",
        "Gå til www.evil.example",
        "Logg inn på evil.example/logg-inn",
        "Les mer på evil.com",
        "Se evil.shop:8080/x",
        "Se 192.0.2.1",
        "Skriv til svindel@evil.example",
        "Gå til evil\uff0eexample\uff0flogin",  # full-width dot and slash
        "Gå til evil\u200b.example/login",  # zero-width space
    ],
)
def test_note_with_a_link_or_web_address_is_refused(client, invited, note):
    reply = client.post(invited.url("gi-videre/"), colleague(1, message=note))
    assert reply.status_code == 422
    assert "Skriv vanlig tekst uten lenker, nettadresser eller e-postadresser" in (
        reply.content.decode()
    )
    assert Respondent.objects.count() == 1 and not outbox.outbox


def test_name_with_a_link_is_refused(client, invited):
    reply = client.post(invited.url("gi-videre/"), colleague(1, name="Ola http://evil.example/"))
    assert reply.status_code == 422 and Respondent.objects.count() == 1


@pytest.mark.parametrize(
    "note",
    [
        "Du kjenner f.eks. hjemmetjenesten bl.a. kl. 14.00/15.00 best, jf. s. 3 osv.",
        "Spør avd.leder/koordinator, møtet er kl.14:30 i dag (tlf. 33 03 00 00).",
    ],
)
def test_ordinary_norwegian_note_is_accepted(client, invited, note):
    assert client.post(invited.url("gi-videre/"), colleague(1, message=note)).status_code == 302


def test_long_note_is_refused(client, invited):
    reply = client.post(invited.url("gi-videre/"), colleague(1, message="a" * 501))
    assert reply.status_code == 422
    assert "Beskjeden kan være høyst 500 tegn (nå er den 501)." in reply.content.decode()


def test_service_refuses_what_the_form_refuses(invited):
    with pytest.raises(handover.HandOnRefused):
        handover.hand_on(invited.respondent, **colleague(1, email="ola@evil.example"))
    with pytest.raises(handover.HandOnRefused):
        handover.hand_on(invited.respondent, **colleague(1, message="http://evil.example/"))
    assert Respondent.objects.count() == 1


def test_note_is_plain_text_in_both_parts_of_the_email(client, invited):
    client.post(invited.url("gi-videre/"), colleague(1, message="<b>Viktig</b> & haster"))
    [message] = outbox.outbox
    assert "«<b>Viktig</b> & haster»" in message.body
    html = message.alternatives[0][0]
    assert "«&lt;b&gt;Viktig&lt;/b&gt; &amp; haster»" in html
    assert "<b>Viktig" not in html
