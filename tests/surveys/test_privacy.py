"""Personal data goes on time (GDPR): deletion date, purge, «Slett personopplysninger», innsyn."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from pypdf import PdfReader

from kartlegging.analysis.table import build_table
from kartlegging.core.models import AuditEntry
from kartlegging.responses import followup
from kartlegging.responses.models import Response
from kartlegging.responses.services import open_response, save_answers, submit
from kartlegging.surveys import mail, privacy, tasks
from kartlegging.surveys.models import AccessToken, Email, Respondent, Survey, add_months
from tests.conftest import invite

pytestmark = pytest.mark.django_db

NAME, EMAIL = "Kari Testesen", "kari@horten.example"
COLLEAGUE, COLLEAGUE_EMAIL = "Ola Kollegasen", "ola.kollegasen@horten.example"


def _answered(invited) -> Response:
    respondent = invited.respondent
    response = open_response(respondent)
    questionnaire = respondent.survey.questionnaire.definition
    result = save_answers(
        response, questionnaire, {"respondent_rolle": ["kreftkoordinator"], "koord_finnes": ["ja"]}
    )
    assert result.ok
    assert (
        submit(response, questionnaire, on_submitted=lambda r: tasks.queue_receipt(respondent))
        == []
    )
    return response


def _traced_survey(survey, invited) -> Survey:
    """A survey whose respondent left every kind of trace: answers, e-mail, an SMTP error
    naming the address, a hand-on note, a colleague."""
    _answered(invited)
    followup.queue_invitations(survey)
    Email.objects.filter(respondent=invited.respondent).update(
        error=f"SMTPRecipientsRefused: {{'{EMAIL}': (550, 'no such user')}}"
    )
    colleague = invite(
        survey, invited.respondent.organisation, COLLEAGUE_EMAIL, COLLEAGUE
    ).respondent
    Respondent.objects.filter(pk=invited.respondent.pk).update(
        handed_to=colleague, handed_at=timezone.now(), handover_message=f"Hilsen {NAME}"
    )
    survey.close()
    return survey


def _dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue().lower()


def _ago(months: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=31 * months)


# --------------------------------------------------------------------------- the date


@pytest.mark.parametrize(
    "day, months, expected",
    [
        (dt.date(2026, 3, 15), 12, dt.date(2027, 3, 15)),
        (dt.date(2026, 1, 31), 1, dt.date(2026, 2, 28)),
        (dt.date(2027, 12, 31), 2, dt.date(2028, 2, 29)),
        (dt.date(2026, 11, 30), 14, dt.date(2028, 1, 30)),
    ],
)
def test_add_months_keeps_the_day_or_takes_the_last_of_the_month(day, months, expected):
    assert add_months(day, months) == expected


def test_deletion_date_is_twelve_months_after_closing_or_after_the_deadline_until_then(survey):
    assert survey.deletion_date == dt.date(2028, 2, 15)  # open: from the deadline
    survey.close()
    Survey.objects.filter(pk=survey.pk).update(
        closed_at=timezone.make_aware(dt.datetime(2027, 3, 1, 12))
    )
    survey.refresh_from_db()
    assert survey.deletion_date == dt.date(2028, 3, 1)
    survey.open()  # reopened: the earlier closing no longer counts
    assert survey.deletion_date == dt.date(2028, 2, 15)


def test_welcome_page_tells_the_respondent_when_their_data_goes_and_whom_to_ask(
    client, survey, invited
):
    Survey.objects.filter(pk=survey.pk).update(contact_email="usht@horten.example")
    page = client.get(invited.url()).content.decode()
    assert (
        "Navnet og e-postadressen din slettes 12 måneder etter at kartleggingen er avsluttet"
        in page
    )
    assert "15. februar 2028" in page
    assert "innsyn i alt som er lagret om deg" in page and "usht@horten.example" in page


def test_settings_refuse_a_retention_of_zero_months(as_, survey):
    reply = as_("leder").post(
        "/kartlegginger/test/innstillinger/",
        {
            "title": survey.title,
            "size_lower": 5000,
            "size_upper": 20000,
            "reminder_interval_days": 5,
            "retention_months": 0,
        },
    )
    assert reply.status_code == 422
    assert "Verdien må være større enn eller lik 1." in reply.content.decode()


# --------------------------------------------------------------------------- purge


def test_purge_removes_every_trace_of_the_person_and_keeps_the_answers(survey, invited):
    _traced_survey(survey, invited)
    Survey.objects.filter(pk=survey.pk).update(closed_at=_ago(13))
    before = build_table(survey).drop(columns=["response"]).to_dict("records")
    dump = _dump()
    assert NAME.lower() in dump and EMAIL in dump and COLLEAGUE_EMAIL in dump

    done = privacy.purge_due()

    assert done["test"].respondents == 2 and done["test"].notes == 1
    dump = _dump()
    for trace in (NAME, EMAIL, COLLEAGUE, COLLEAGUE_EMAIL, "kari", "ola"):
        assert trace.lower() not in dump, trace
    assert not AccessToken.objects.exists()
    respondent = Respondent.objects.get(pk=invited.respondent.pk)
    assert respondent.role == "Kreftkoordinator" and respondent.organisation.number == "3901"
    assert respondent.anonymised_at is not None
    after = build_table(survey).drop(columns=["response"]).to_dict("records")
    assert (
        after == before
        and {"question": "koord_finnes", "value": "ja"}.items()
        <= {
            k: v for row in after if row["question"] == "koord_finnes" for k, v in row.items()
        }.items()
    )
    entry = AuditEntry.objects.get(action="personal_data.deleted")
    assert entry.data["reason"] == "slettedato" and entry.survey_slug == "test"
    assert sorted(entry.data["respondents"]) == sorted(r.pk for r in survey.respondents.all())
    survey.refresh_from_db()
    assert survey.personal_data_deleted_at is not None


def test_the_link_opens_nothing_after_the_purge(client, survey, invited):
    _traced_survey(survey, invited)
    privacy.purge_survey(survey, reason="test")
    assert client.get(invited.url()).status_code == 404


def test_purge_waits_for_the_deletion_date(survey, invited):
    _traced_survey(survey, invited)
    Survey.objects.filter(pk=survey.pk).update(closed_at=_ago(11))
    assert privacy.purge_due() == {}
    assert Respondent.objects.get(pk=invited.respondent.pk).email == EMAIL


def test_purge_leaves_open_surveys_alone(survey, invited):
    Survey.objects.filter(pk=survey.pk).update(deadline=dt.date(2020, 1, 1))
    assert privacy.purge_due() == {}


def test_unsent_email_is_cancelled_and_never_sent(survey, invited, smtp):
    email = tasks.queue([invited.respondent], Email.Kind.REMINDER)[0]
    # Tests send at once; make it one the worker has not reached yet.
    Email.objects.filter(pk=email.pk).update(sent_at=None, failed_at=None)
    smtp.messages.clear()
    privacy.anonymise(survey.respondents.all(), survey=survey, reason="test")
    mail.deliver(email.pk)
    email.refresh_from_db()
    assert smtp.messages == [] and email.sent_at is None and email.failed_at is not None
    assert email.to == ""


def test_purge_command_dry_run_then_for_real(survey, invited):
    _traced_survey(survey, invited)
    Survey.objects.filter(pk=survey.pk).update(closed_at=_ago(13))
    out = io.StringIO()
    call_command("purge", "--dry-run", stdout=out)
    assert "test: ville slettet personopplysninger om 2 respondenter" in out.getvalue()
    assert Respondent.objects.filter(email=EMAIL).exists()
    call_command("purge", stdout=out)
    assert "test: slettet personopplysninger om 2 respondenter" in out.getvalue()
    assert not Respondent.objects.filter(email=EMAIL).exists()


def test_purge_command_early_only_for_a_closed_survey(survey, invited):
    with pytest.raises(CommandError, match="er ikke lukket"):
        call_command("purge", "--survey", "test")
    with pytest.raises(CommandError, match="Fant ingen kartlegging"):
        call_command("purge", "--survey", "finnes-ikke")
    survey.close()
    call_command("purge", "--survey", "test", stdout=io.StringIO())
    assert not Respondent.objects.filter(email=EMAIL).exists()


# --------------------------------------------------------------------------- the leader's pages


@pytest.mark.parametrize(
    "url",
    [
        "/kartlegginger/test/personvern/",
        "/kartlegginger/test/respondenter/{pk}/slett-personopplysninger/",
    ],
)
def test_privacy_pages_leader_only(as_, invited, url):
    url = url.format(pk=invited.respondent.pk)
    assert as_("leder").get(url).status_code == 200
    assert as_("gruppe").get(url).status_code == 403
    assert as_("utenfor").get(url).status_code == 404
    assert as_("gruppe").post(url, {"bekreft": "1"}).status_code == 403
    assert Respondent.objects.get(pk=invited.respondent.pk).name == NAME


def test_leader_purges_early_after_a_confirmation_that_says_what_goes(as_, survey, invited):
    leader = as_("leder")
    _traced_survey(survey, invited)
    page = leader.get("/kartlegginger/test/personvern/").content.decode()
    assert "navn og e-postadresser til 2 respondenter" in page
    assert "personlige lenker (ingen lenke virker etterpå)" in page
    assert "1 beskjed skrevet da oppgaven ble gitt videre" in page
    refused = leader.post("/kartlegginger/test/personvern/", follow=True).content.decode()
    assert "Kryss av for at du forstår at slettingen ikke kan angres." in refused
    assert Respondent.objects.filter(email=EMAIL).exists()
    done = leader.post(
        "/kartlegginger/test/personvern/", {"bekreft": "1"}, follow=True
    ).content.decode()
    assert "Personopplysningene til 2 respondenter er slettet. Svarene er beholdt." in done
    assert "Personopplysningene ble slettet" in done
    entry = AuditEntry.objects.get(action="personal_data.deleted")
    assert entry.actor_name == "leder" and entry.data["reason"] == "prosjektleder"
    dashboard = leader.get("/kartlegginger/test/").content.decode()
    assert NAME not in dashboard and "Slettet respondent" in dashboard


def test_leader_cannot_purge_an_open_survey(as_, survey, invited):
    reply = as_("leder").post("/kartlegginger/test/personvern/", {"bekreft": "1"}, follow=True)
    assert "Lukk kartleggingen før du sletter personopplysningene." in reply.content.decode()
    assert Respondent.objects.filter(email=EMAIL).exists()


def test_removing_a_respondent_offers_to_delete_their_personal_data(as_, survey, invited):
    leader = as_("leder")
    _answered(invited)
    page = leader.post(
        f"/kartlegginger/test/respondenter/{invited.respondent.pk}/fjern/", follow=True
    )
    assert "Slett personopplysninger" in page.content.decode()
    url = f"/kartlegginger/test/respondenter/{invited.respondent.pk}/slett-personopplysninger/"
    confirm = leader.get(url).content.decode()
    assert f"Dette slettes om {NAME} ({EMAIL}), og kan ikke angres" in confirm
    after = leader.post(url, follow=True).content.decode()
    assert "Personopplysningene ble slettet" in after and NAME not in after and EMAIL not in after
    assert "Kreftkoordinator" in after  # role and answers stay
    respondent = Respondent.objects.get(pk=invited.respondent.pk)
    assert respondent.removed_at and respondent.anonymised_at and not respondent.tokens.exists()
    assert Response.objects.get(respondent=respondent).answer_values()["koord_finnes"] == "ja"
    assert AuditEntry.objects.filter(
        action="personal_data.deleted", data__respondents=[respondent.pk]
    ).exists()


def test_delete_from_an_active_respondent_also_removes_them(as_, survey, invited):
    as_("leder").post(
        f"/kartlegginger/test/respondenter/{invited.respondent.pk}/slett-personopplysninger/"
    )
    respondent = Respondent.objects.get(pk=invited.respondent.pk)
    assert respondent.removed_at is not None and respondent.name == ""


@pytest.mark.parametrize("action", ["inviter", "paminn", "lenke", "gjenapne"])
def test_nothing_is_sent_or_made_for_an_anonymised_respondent(as_, survey, invited, action):
    privacy.anonymise(survey.respondents.all(), survey=survey, reason="test")
    reply = as_("leder").post(
        f"/kartlegginger/test/respondenter/{invited.respondent.pk}/{action}/", follow=True
    )
    assert "Personopplysningene til denne respondenten er slettet." in reply.content.decode()
    assert not Email.objects.exists() and not AccessToken.objects.exists()


def test_an_anonymised_respondent_cannot_be_given_a_name_again(as_, survey, invited, horten):
    privacy.anonymise(survey.respondents.all(), survey=survey, reason="test")
    url = f"/kartlegginger/test/respondenter/{invited.respondent.pk}/endre/"
    as_("leder").post(url, {"name": NAME, "email": EMAIL, "role": "", "organisation": horten.pk})
    assert Respondent.objects.get(pk=invited.respondent.pk).name == ""


def test_two_anonymised_respondents_do_not_collide_on_the_empty_address(survey, invited, horten):
    invite(survey, horten, COLLEAGUE_EMAIL, COLLEAGUE)
    privacy.anonymise(survey.respondents.all(), survey=survey, reason="test")
    assert Respondent.objects.filter(email="").count() == 2


# --------------------------------------------------------------------------- innsyn


def test_access_request_json_holds_everything_about_the_person(as_, survey, invited):
    _answered(invited)
    leader = as_("leder")
    leader.get(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/")
    reply = leader.get(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/innsyn.json")
    assert reply.status_code == 200 and "no-store" in reply["Cache-Control"]
    assert reply["Content-Disposition"].startswith('attachment; filename="innsyn-test-')
    report = json.loads(reply.content)
    assert report["person"]["navn"] == NAME and report["person"]["e_post"] == EMAIL
    assert report["kartlegging"]["slettedato"] == "2028-02-15"
    answers = {a["nokkel"]: a for a in report["besvarelse"]["svar"]}
    assert answers["koord_finnes"]["sporsmal"] == "Har kommunen kreftkoordinator?"
    assert answers["koord_finnes"]["svar"] == "Ja"
    assert [e["type"] for e in report["e_post"]] == ["Kvittering"]
    assert len(report["lenker"]) == 2  # the invitation's and the receipt's
    actions = [e["handling"] for e in report["behandling"]]
    assert "Svarene ble sett av prosjektgruppen" in actions
    body = reply.content.decode()
    assert invited.token not in body
    assert not any(t.token_hash in body for t in invited.respondent.tokens.all())
    assert "leder" not in body  # staff are not named
    assert AuditEntry.objects.filter(
        action="respondent.access_exported", data__format="json"
    ).exists()


def test_access_request_pdf_reads_as_a_letter(as_, survey, invited):
    _answered(invited)
    reply = as_("leder").get(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/innsyn.pdf")
    assert reply["Content-Type"] == "application/pdf"
    pages = PdfReader(io.BytesIO(reply.content)).pages
    text = " ".join(" ".join(page.extract_text().split()) for page in pages)
    assert "Innsyn i personopplysninger" in text
    assert NAME in text and EMAIL in text and "Har kommunen kreftkoordinator?" in text
    assert "15. februar 2028" in text


@pytest.mark.parametrize("fmt", ["json", "pdf"])
def test_access_request_leader_only(as_, invited, fmt):
    url = f"/kartlegginger/test/respondenter/{invited.respondent.pk}/innsyn.{fmt}"
    assert as_("gruppe").get(url).status_code == 403
    assert as_("utenfor").get(url).status_code == 404
    assert as_("leder").get(url.replace(fmt, "txt")).status_code == 404
