"""Staff pages: three personas everywhere (owner, project group, outsider), then behaviour."""

from __future__ import annotations

import csv
import io
import re

import pytest
from django.core import mail as outbox
from openpyxl import load_workbook

from kartlegging.core.models import AuditEntry
from kartlegging.organisations.models import Organisation
from kartlegging.responses.models import Response
from kartlegging.surveys.models import Email
from tests.conftest import invite

pytestmark = pytest.mark.django_db


READ = [
    "/kartlegginger/test/",
    "/kartlegginger/test/status/",
    "/kartlegginger/test/respondenter/{pk}/",
    "/kartlegginger/test/eksport/respondenter.csv",
    "/kartlegginger/test/eksport/respondenter.xlsx",
]
MANAGE_GET = [
    "/kartlegginger/test/innstillinger/",
    "/kartlegginger/test/e-posttekster/",
    "/kartlegginger/test/respondenter/ny/",
    "/kartlegginger/test/respondenter/import/",
    "/kartlegginger/test/respondenter/{pk}/endre/",
    "/kartlegginger/test/tilstand/lukk/",
]
MANAGE_POST = [
    "/kartlegginger/test/inviter/",
    "/kartlegginger/test/paminn/",
    "/kartlegginger/test/paminn/3901/",
    "/kartlegginger/test/respondenter/{pk}/paminn/",
    "/kartlegginger/test/respondenter/{pk}/inviter/",
    "/kartlegginger/test/respondenter/{pk}/lenke/",
    "/kartlegginger/test/respondenter/{pk}/gjenapne/",
    "/kartlegginger/test/respondenter/{pk}/fjern/",
]


@pytest.mark.parametrize("url", READ)
def test_reading_pages_owner_and_group_see_outsider_gets_404(as_, invited, url):
    url = url.format(pk=invited.respondent.pk)
    assert as_("leder").get(url).status_code == 200
    assert as_("gruppe").get(url).status_code == 200
    assert as_("utenfor").get(url).status_code == 404


@pytest.mark.parametrize("url", MANAGE_GET)
def test_managing_pages_owner_only(as_, invited, url):
    url = url.format(pk=invited.respondent.pk)
    assert as_("leder").get(url).status_code == 200
    assert as_("gruppe").get(url).status_code == 403
    assert as_("utenfor").get(url).status_code == 404


@pytest.mark.parametrize("url", MANAGE_POST)
def test_actions_owner_only(as_, invited, url):
    url = url.format(pk=invited.respondent.pk)
    assert as_("utenfor").post(url).status_code == 404
    assert as_("gruppe").post(url).status_code == 403
    assert as_("leder").post(url).status_code == 302


def test_anonymous_is_sent_to_login(client, survey):
    reply = client.get("/kartlegginger/test/")
    assert reply.status_code == 302 and reply["Location"].startswith("/konto/logg-inn/")


def test_list_shows_only_own_surveys(as_, survey, mini_version):
    from kartlegging.surveys.models import Survey

    Survey.objects.create(slug="annen", title="Annen kartlegging", questionnaire=mini_version)
    page = as_("gruppe").get("/kartlegginger/").content.decode()
    assert "Testkartlegging" in page and "Annen kartlegging" not in page


def test_dashboard_marks_organisations_without_answers(as_, survey, horten, invited):
    larvik = Organisation.objects.create(number="3909", name="Larvik", population=48715)
    survey.organisations.add(larvik)
    Response.objects.create(respondent=invited.respondent, status=Response.Status.SUBMITTED)
    page = as_("leder").get("/kartlegginger/test/").content.decode()
    assert 'Larvik <span class="uten-svar">(ingen svar)</span>' in page
    assert "Horten <span" not in page
    assert "50 %" in page  # one of two organisations has answered
    assert "1 / 1" in page


def test_invite_all_sends_and_dashboard_shows_invited(as_, invited):
    reply = as_("leder").post("/kartlegginger/test/inviter/", HTTP_HX_REQUEST="true")
    assert "1 invitasjoner er lagt i kø for sending." in reply.content.decode()
    assert "Invitert" in reply.content.decode()
    assert outbox.outbox[0].to == ["kari@horten.example"]


def test_remind_one_organisation_only(as_, survey, horten, invited):
    larvik = Organisation.objects.create(number="3909", name="Larvik", population=48715)
    survey.organisations.add(larvik)
    other = invite(survey, larvik, email="ola@larvik.example", name="Ola")
    client = as_("leder")
    client.post("/kartlegginger/test/inviter/")
    Email.objects.update(queued_at="2020-01-01T00:00:00Z")  # long ago: reminders allowed
    client.post("/kartlegginger/test/paminn/3909/")
    reminders = Email.objects.filter(kind=Email.Kind.REMINDER)
    assert [e.respondent for e in reminders] == [other.respondent]


def test_failed_email_is_shown_with_retry(as_, settings, invited):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    client = as_("leder")
    client.post("/kartlegginger/test/inviter/")
    page = client.get(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/").content.decode()
    assert "ConnectionRefusedError" in page and "Prøv igjen" in page
    assert "1 feil" in client.get("/kartlegginger/test/").content.decode()


def test_new_link_is_shown_once_and_works(as_, client, invited):
    leader = as_("leder")
    leader.post(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/lenke/")
    page = leader.get(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/").content.decode()
    link = page.split('id="ny-lenke" readonly value="')[1].split('"')[0]
    again = leader.get(
        f"/kartlegginger/test/respondenter/{invited.respondent.pk}/"
    ).content.decode()
    assert link not in again
    assert (
        leader.get(link.split("testserver", 1)[-1].replace("http://127.0.0.1:8000", "")).status_code
        == 200
    )


def test_removed_respondent_gets_a_polite_page(as_, client, invited):
    as_("leder").post(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/fjern/")
    client.logout()
    reply = client.get(invited.url("del/bakgrunn/"))
    assert reply.status_code == 200
    assert "Du er ikke lenger med i kartleggingen" in reply.content.decode()
    assert invited.respondent.emails.count() == 0
    assert as_("leder").post("/kartlegginger/test/inviter/").status_code == 302
    assert invited.respondent.emails.count() == 0  # removed people get no e-mail


def test_add_respondent_refuses_duplicate_email(as_, horten, invited):
    reply = as_("leder").post(
        "/kartlegginger/test/respondenter/ny/",
        {"name": "Kari To", "email": "KARI@horten.example", "role": "", "organisation": horten.pk},
    )
    assert reply.status_code == 422
    assert "kari@horten.example er allerede respondent i kartleggingen." in reply.content.decode()


def test_import_page_reports_rows_and_imports_nothing(as_, survey):
    data = io.BytesIO(b"navn,epost,rolle,organisasjon\nKari,kari@,x,3901\n")
    data.name = "r.csv"
    reply = as_("leder").post("/kartlegginger/test/respondenter/import/", {"file": data})
    assert reply.status_code == 422
    assert "Rad 2: «kari@» er ikke en gyldig e-postadresse" in reply.content.decode()
    assert survey.respondents.count() == 0


def test_export_neutralises_formulas(as_, survey, horten):
    invite(
        survey, horten, email="x@horten.example", name='=HYPERLINK("http://example.invalid","x")'
    )
    client = as_("gruppe")
    text = client.get("/kartlegginger/test/eksport/respondenter.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[1][2].startswith("'=HYPERLINK")
    book = load_workbook(
        io.BytesIO(client.get("/kartlegginger/test/eksport/respondenter.xlsx").content)
    )
    assert book.active["C2"].value.startswith("'=HYPERLINK")


def test_email_texts_preview_and_save(as_, survey):
    client = as_("leder")
    reply = client.post(
        "/kartlegginger/test/e-posttekster/",
        {
            "invitation_text": "Hei fra USHT!",
            "reminder_text": "Husk oss.",
            "handling": "forhandsvis",
        },
    )
    assert "Hei fra USHT!" in reply.content.decode() and "Kari Eksempel" in reply.content.decode()
    survey.refresh_from_db()
    assert survey.invitation_text != "Hei fra USHT!"
    client.post(
        "/kartlegginger/test/e-posttekster/",
        {"invitation_text": "Hei fra USHT!", "reminder_text": "Husk oss.", "handling": "lagre"},
    )
    survey.refresh_from_db()
    assert survey.invitation_text == "Hei fra USHT!"
    assert AuditEntry.objects.filter(action="survey.email_texts_changed").exists()


def test_email_texts_preview_names_each_email_once_and_shows_its_subject(as_, survey):
    page = as_("leder").get("/kartlegginger/test/e-posttekster/").content.decode()
    text = " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert "Invitasjon: Invitasjon:" not in text and "Påminnelse: Påminnelse:" not in text
    assert "Invitasjon Emne: Invitasjon: Testkartlegging" in text
    assert "Påminnelse Emne: Påminnelse: Testkartlegging" in text


def test_figure_alt_texts_have_no_doubled_full_stops(as_, survey, horten):
    from kartlegging.responses.services import open_response, save_answers, submit

    questionnaire = survey.questionnaire.definition
    for email in ("kari@horten.example", "ola@horten.example"):
        response = open_response(invite(survey, horten, email=email).respondent)
        save_answers(
            response,
            questionnaire,
            {
                "respondent_rolle": ["kreftkoordinator"],
                "koord_finnes": ["ja"],
                "ident_verktoy": ["spict"],
                "samarbeid_fastlege": ["stor"],
            },
        )
        submit(response, questionnaire)
    page = as_("leder").get("/kartlegginger/test/resultater/").content.decode()
    alts = re.findall(r'<img [^>]*alt="([^"]*)"', page)
    assert alts
    for alt in alts:
        assert ".." not in alt and ". ." not in alt and "?." not in alt, alt
        assert alt.endswith("."), alt


def test_create_survey_by_county(as_, mini_version, horten):
    Organisation.objects.create(number="0301", name="Oslo", county="Oslo", population=717710)
    reply = as_("utenfor").post(
        "/kartlegginger/ny/",
        {
            "title": "Ny kartlegging",
            "slug": "agder-2027",
            "questionnaire": mini_version.pk,
            "size_lower": 5000,
            "size_upper": 20000,
            "reminder_interval_days": 5,
            "retention_months": 12,
            "counties": ["Vestfold"],
            "reminder_schedule": "7,3",
        },
    )
    assert reply.status_code == 302
    from kartlegging.surveys.models import Survey

    created = Survey.objects.get(slug="agder-2027")
    assert [o.name for o in created.organisations.all()] == ["Horten"]
    assert created.memberships.get().role == "prosjektleder"


def test_reopen_lets_the_respondent_change_answers(as_, client, invited):
    Response.objects.create(respondent=invited.respondent, status=Response.Status.SUBMITTED)
    as_("leder").post(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/gjenapne/")
    assert Response.objects.get().status == Response.Status.STARTED


def test_failed_email_can_be_retried_from_the_dashboard(as_, settings, invited):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens
    client = as_("leder")
    client.post("/kartlegginger/test/inviter/")
    failed = Email.objects.get()
    page = client.get("/kartlegginger/test/").content.decode()
    assert f"/kartlegginger/test/e-post/{failed.pk}/prov-igjen/" in page
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    reply = client.post(
        f"/kartlegginger/test/e-post/{failed.pk}/prov-igjen/", HTTP_HX_REQUEST="true"
    )
    assert "E-posten er lagt i kø på nytt." in reply.content.decode()
    failed.refresh_from_db()
    assert failed.sent_at is not None and outbox.outbox[-1].to == ["kari@horten.example"]


def test_closing_asks_first_and_says_what_happens(as_, survey, invited):
    leader = as_("leder")
    page = leader.post("/kartlegginger/test/tilstand/lukk/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Lukke kartleggingen?" in text and "1 respondent har ikke sendt inn ennå." in text
    survey.refresh_from_db()
    assert survey.state == survey.State.OPEN
    reply = leader.post("/kartlegginger/test/tilstand/lukk/", {"bekreft": "1"})
    assert reply.status_code == 302
    survey.refresh_from_db()
    assert survey.state == survey.State.CLOSED


def test_deadline_in_the_past_is_refused(as_, survey):
    from kartlegging.surveys.forms import SurveyForm

    data = {
        **{k: v for k, v in SurveyForm(instance=survey).initial.items() if v is not None},
        "deadline": "2020-01-31",
        "organisations": [o.pk for o in survey.organisations.all()],
    }
    form = SurveyForm(data, instance=survey)
    assert not form.is_valid()
    assert "Svarfristen 31.01.2020 er allerede passert." in form.errors["deadline"][0]


def test_viewing_a_respondents_answers_is_audited(as_, invited):
    from kartlegging.core.models import AuditEntry

    as_("gruppe").get(f"/kartlegginger/test/respondenter/{invited.respondent.pk}/")
    entry = AuditEntry.objects.get(action="respondent.viewed")
    assert (entry.actor_name, entry.data) == ("gruppe", {"respondent": invited.respondent.pk})


@pytest.mark.parametrize("url", ["/kartlegginger/", "/kartlegginger/ny/", "/kartlegginger/test/"])
def test_an_account_without_staff_status_gets_no_staff_page(client, django_user_model, survey, url):
    from kartlegging.surveys.models import Membership

    user = django_user_model.objects.create_user("uten-status", password="x" * 16)
    Membership.objects.create(survey=survey, user=user, role=Membership.Role.LEADER)
    client.force_login(user)
    assert client.get(url).status_code == 403
