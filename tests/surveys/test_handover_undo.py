"""The leader sees every hand-on on the dashboard and can undo one (issue 10, hand-on limits)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from kartlegging.core.models import AuditEntry
from kartlegging.responses import followup
from kartlegging.surveys import handover, mail
from kartlegging.surveys.models import Respondent

pytestmark = pytest.mark.django_db
OLA = {"name": "Ola Kollega", "email": "ola@horten.example", "role": "", "message": ""}


@pytest.fixture
def ola(survey, invited) -> Respondent:
    followup.queue_invitations(survey, now=timezone.now() - dt.timedelta(days=10))
    return handover.hand_on(invited.respondent, **OLA)


def undo_url(colleague: Respondent) -> str:
    return f"/kartlegginger/test/gitt-videre/{colleague.pk}/angre/"


def test_confirmation_page_leader_only(as_, ola):
    assert as_("leder").get(undo_url(ola)).status_code == 200
    assert as_("gruppe").get(undo_url(ola)).status_code == 403
    assert as_("utenfor").get(undo_url(ola)).status_code == 404


def test_undo_leader_only(as_, ola):
    assert as_("utenfor").post(undo_url(ola)).status_code == 404
    assert as_("gruppe").post(undo_url(ola)).status_code == 403
    ola.refresh_from_db()
    assert ola.removed_at is None
    assert as_("leder").post(undo_url(ola)).status_code == 302


def test_dashboard_lists_every_hand_on_for_leader_and_group(as_, survey, invited, ola):
    handover.hand_on(invited.respondent, **{**OLA, "name": "Per Ny", "email": "per@horten.example"})
    for who in ("leder", "gruppe"):
        page = as_(who).get("/kartlegginger/test/").content.decode()
        assert "Gitt videre til en kollega" in page
        giver = f'href="/kartlegginger/test/respondenter/{invited.respondent.pk}/">Kari Testesen'
        assert page.count(giver) >= 3  # two hand-ons, and Kari's row in the respondent table
        assert "Ola Kollega" in page and "Per Ny" in page
        assert timezone.localtime().strftime("%-d.%-m.%Y") in page
    assert undo_url(ola) in as_("leder").get("/kartlegginger/test/").content.decode()
    assert undo_url(ola) not in as_("gruppe").get("/kartlegginger/test/").content.decode()


def test_confirmation_page_says_what_happens_and_posts_with_csrf(as_, ola):
    page = as_("leder").get(undo_url(ola)).content.decode()
    assert "Kari Testesen (Horten) ga oppgaven videre til Ola Kollega (ola@horten.example)" in page
    assert "Ola Kollega fjernes fra kartleggingen" in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_undo_without_csrf_token_is_refused(people, ola):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["leder"])
    assert client.post(undo_url(ola)).status_code == 403
    ola.refresh_from_db()
    assert ola.removed_at is None


def test_undo_removes_the_colleague_and_the_original_is_reminded_again(
    as_, client, survey, invited, ola
):
    as_("leder").post(undo_url(ola))
    ola.refresh_from_db()
    kari = Respondent.objects.get(pk=invited.respondent.pk)
    assert ola.removed_at is not None and kari.handed_to is None
    later = timezone.now() + dt.timedelta(days=10)
    assert [e.respondent for e in followup.queue_reminders(survey, now=later)] == [kari]
    assert "gi-videre/" in client.get(invited.url()).content.decode()  # may hand on again


def test_undo_is_audited(as_, people, invited, ola):
    as_("leder").post(undo_url(ola))
    entry = AuditEntry.objects.get(action="respondent.handover_undone")
    assert entry.actor == people["leder"]
    assert entry.data == {"respondent": invited.respondent.pk, "colleague": ola.pk}


def test_undone_hand_on_is_shown_as_undone_without_a_second_undo(as_, ola):
    as_("leder").post(undo_url(ola))
    page = as_("leder").get("/kartlegginger/test/").content.decode()
    assert "Angret" in page and undo_url(ola) not in page
    reply = as_("leder").post(undo_url(ola))
    assert reply.status_code == 302
    assert AuditEntry.objects.filter(action="respondent.handover_undone").count() == 1


def test_undo_of_a_respondent_nobody_handed_to_is_404(as_, invited):
    url = undo_url(invited.respondent)
    assert as_("leder").get(url).status_code == 404
    assert as_("leder").post(url).status_code == 404


def test_settings_form_saves_the_allowed_domains(as_, survey, invited):
    page = as_("leder").get("/kartlegginger/test/innstillinger/").content.decode()
    assert "Tillatte e-postdomener når oppgaven gis videre" in page
    assert "Nå gjelder: horten.example." in page
    data = {
        "title": survey.title,
        "deadline": "2027-02-15",
        "size_lower": 5000,
        "size_upper": 20000,
        "reminder_interval_days": 5,
        "retention_months": 12,
        "handover_domains": "@Horten.Kommune.no\nvestfold.example;  horten.kommune.no",
    }
    assert as_("leder").post("/kartlegginger/test/innstillinger/", data).status_code == 302
    survey.refresh_from_db()
    assert survey.handover_domains == "horten.kommune.no, vestfold.example"
    entry = AuditEntry.objects.get(action="survey.changed")
    assert "handover_domains" in entry.data["fields"]


def test_settings_form_refuses_what_is_not_a_domain(as_, survey):
    data = {
        "title": survey.title,
        "size_lower": 5000,
        "size_upper": 20000,
        "reminder_interval_days": 5,
        "retention_months": 12,
        "handover_domains": "horten.kommune.no, http://evil",
    }
    reply = as_("leder").post("/kartlegginger/test/innstillinger/", data)
    assert reply.status_code == 422
    assert "«http://evil» er ikke et e-postdomene." in reply.content.decode()


def test_undo_of_an_earlier_hand_on_leaves_the_later_one_standing(as_, invited, ola):
    per = handover.hand_on(
        invited.respondent, **{**OLA, "name": "Per", "email": "per@horten.example"}
    )
    assert "Kari Testesen har senere gitt oppgaven til Per" in (
        as_("leder").get(undo_url(ola)).content.decode()
    )
    as_("leder").post(undo_url(ola))
    kari = Respondent.objects.get(pk=invited.respondent.pk)
    assert kari.handed_to == per


def test_the_colleagues_invitation_still_in_the_queue_is_never_sent(as_, ola, smtp):
    from kartlegging.surveys.models import Email

    invitation = ola.emails.get(kind=Email.Kind.INVITATION)
    # Tests send at once; make it one the worker has not reached yet.
    Email.objects.filter(pk=invitation.pk).update(sent_at=None)
    smtp.messages.clear()
    as_("leder").post(undo_url(ola))
    mail.deliver(invitation.pk)
    invitation.refresh_from_db()
    assert smtp.messages == [] and invitation.sent_at is None
    assert (
        invitation.error
        == "Ikke sendt: respondenten ble fjernet fra kartleggingen før e-posten gikk."
    )
    page = as_("leder").get(f"/kartlegginger/test/respondenter/{ola.pk}/").content.decode()
    assert "Ikke sendt: respondenten ble fjernet" in page
