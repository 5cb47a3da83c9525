"""Invitations, reminders and receipts through Django's SMTP backend to a real SMTP server."""

from __future__ import annotations

import datetime as dt
import re
from email.message import Message

import pytest
from django.core.management import call_command
from django.utils import timezone

from kartlegging.responses import followup
from kartlegging.responses.models import Response
from kartlegging.surveys import tasks
from kartlegging.surveys.models import Email, Respondent
from tests.conftest import invite
from tests.smtp import free_port

pytestmark = pytest.mark.django_db
LINK = re.compile(r"http://[^\s\"<]+/s/[A-Za-z0-9_-]+/")
T0 = timezone.make_aware(dt.datetime(2027, 1, 4, 9, 0))


def text_of(message: Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    return part.get_content()


def test_invitation_arrives_with_a_working_link(smtp, client, survey, horten):
    kari = invite(survey, horten, email="kari@horten.example")
    followup.queue_invitations(survey)
    [message] = smtp.to("kari@horten.example")
    assert message["Subject"] == "Invitasjon: Testkartlegging"
    body = text_of(message)
    assert "Hei, Kari Testesen!" in body and "Svarfrist: 15. februar 2027." in body
    link = LINK.search(body).group(0).removeprefix("http://testserver")
    assert "Testkartlegging" in client.get(link).content.decode()
    assert kari.respondent.emails.get().sent_at is not None


def test_invitations_go_once(smtp, survey, horten):
    invite(survey, horten)
    assert len(followup.queue_invitations(survey)) == 1
    assert followup.queue_invitations(survey) == []
    assert len(smtp.messages) == 1


def submit_answers(respondent: Respondent) -> None:
    Response.objects.create(
        respondent=respondent, status=Response.Status.SUBMITTED, submitted_at=timezone.now()
    )


def test_reminder_goes_only_to_those_who_have_not_submitted(smtp, survey, horten):
    done = invite(survey, horten, email="done@horten.example").respondent
    late = invite(survey, horten, email="late@horten.example").respondent
    followup.queue_invitations(survey, now=T0)
    submit_answers(done)
    sent = followup.queue_reminders(survey, now=T0 + dt.timedelta(days=6))
    assert [e.respondent for e in sent] == [late]
    assert smtp.to("late@horten.example")[-1]["Subject"] == "Påminnelse: Testkartlegging"
    assert len(smtp.to("done@horten.example")) == 1  # the invitation only


def test_reminders_respect_the_interval(smtp, survey, horten):
    invite(survey, horten)
    followup.queue_invitations(survey, now=T0)
    assert followup.queue_reminders(survey, now=T0 + dt.timedelta(days=4, hours=23)) == []
    assert len(followup.queue_reminders(survey, now=T0 + dt.timedelta(days=5, hours=1))) == 1
    assert followup.queue_reminders(survey, now=T0 + dt.timedelta(days=6)) == []


def test_no_reminder_before_an_invitation_or_after_handing_on(smtp, survey, horten):
    never_invited = invite(survey, horten, email="ny@horten.example").respondent
    handed = invite(survey, horten, email="videre@horten.example").respondent
    followup.queue_invitations(survey, respondents=[handed], now=T0)
    handed.handed_to = never_invited
    handed.save()
    assert followup.queue_reminders(survey, now=T0 + dt.timedelta(days=10)) == []


def test_scheduled_reminders_seven_and_three_days_before_deadline(smtp, survey, horten):
    survey.reminder_schedule = "7,3"
    survey.save()
    invite(survey, horten)
    followup.queue_invitations(survey, now=T0)
    deadline = survey.deadline  # 2027-02-15
    at = lambda days: timezone.make_aware(  # noqa: E731
        dt.datetime.combine(deadline - dt.timedelta(days=days), dt.time(8))
    )
    assert followup.queue_scheduled_reminders(at(8)) == {}
    assert followup.queue_scheduled_reminders(at(7)) == {"test": 1}
    assert followup.queue_scheduled_reminders(at(7) + dt.timedelta(hours=3)) == {}
    # Four days later is within the 5-day interval, but the schedule wins.
    assert followup.queue_scheduled_reminders(at(3)) == {"test": 1}


def test_smtp_failure_is_recorded_and_retry_succeeds(smtp, settings, survey, horten):
    invite(survey, horten, email="kari@horten.example")
    working_port = settings.EMAIL_PORT
    settings.EMAIL_PORT = free_port()  # nothing listens here: the server is "down"
    [failed] = followup.queue_invitations(survey)
    failed.refresh_from_db()
    assert failed.failed_at is not None and failed.sent_at is None
    assert "ConnectionRefusedError" in failed.error
    assert smtp.messages == []
    settings.EMAIL_PORT = working_port
    tasks.retry(failed)
    failed.refresh_from_db()
    assert failed.sent_at is not None and failed.error == "" and failed.attempts == 2
    assert len(smtp.to("kari@horten.example")) == 1


def test_failed_invitation_is_not_resent_by_send_invitations(smtp, settings, survey, horten):
    invite(survey, horten)
    settings.EMAIL_PORT = free_port()
    followup.queue_invitations(survey)
    assert (
        followup.not_invited(survey).count() == 1
    )  # failed: retry it, it still counts as not invited
    assert Email.objects.get().state == "feilet"


def test_receipt_after_submit(smtp, client, invited):
    client.post(
        invited.url("del/bakgrunn/"),
        {"_sporsmal": "respondent_rolle", "respondent_rolle": "annet"},
        HTTP_HX_REQUEST="true",
    )
    client.post(
        invited.url("del/organisering/"),
        {"_sporsmal": "koord_finnes", "koord_finnes": "nei"},
        HTTP_HX_REQUEST="true",
    )
    client.post(invited.url("send-inn/"))
    client.post(invited.url("send-inn/"))  # a double submit sends one receipt
    [receipt] = smtp.to("kari@horten.example")
    assert receipt["Subject"] == "Kvittering: svarene dine til Testkartlegging"
    assert "Takk! Vi har mottatt svarene dine" in text_of(receipt)


def test_commands_queue_and_the_worker_sends(smtp, survey, horten, capsys):
    invite(survey, horten)
    call_command("send-invitations", survey="test")
    assert "1 invitasjoner lagt i kø" in capsys.readouterr().out
    call_command("send-reminders", survey="test")
    assert "0 påminnelser lagt i kø." in capsys.readouterr().out
    assert len(smtp.messages) == 1


def test_logs_hold_no_addresses(smtp, settings, survey, horten, caplog):
    invite(survey, horten, email="kari@horten.example")
    settings.EMAIL_PORT = free_port()
    followup.queue_invitations(survey)
    assert "failed" in caplog.text
    assert "kari@horten.example" not in caplog.text and "Kari" not in caplog.text


def test_respondents_who_already_submitted_are_not_invited(smtp, survey, horten):
    done = invite(survey, horten, email="papir@horten.example").respondent
    submit_answers(done)  # e.g. imported from a paper form
    assert followup.queue_invitations(survey) == []
