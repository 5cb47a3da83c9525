"""Load the demo: Vestfold registry, the default questionnaires, an open survey in mid-fieldwork.

The first run creates the survey with invented people and plays out three weeks
of fieldwork so every dashboard state is visible: invitations queued (the
worker sends them to var/mail/), some responses submitted or started, one
invitation handed on, and two e-mails that failed. Later runs keep the data and
only print fresh links and new passwords (earlier links keep working).
"""

import datetime as dt
import random
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.responses import followup
from kartlegging.responses.demo import respond
from kartlegging.responses.models import Response
from kartlegging.surveys import handover
from kartlegging.surveys.models import Email, Membership, Respondent, Survey

SLUG = "vestfold-2026"
TITLE = "Kartlegging av palliative tjenester i Vestfold 2026"

# Invented people. Addresses use the reserved .example domain so nothing can reach anyone.
PEOPLE = {
    "3901": [
        ("Ingrid Haugland", "Kreftkoordinator"),
        ("Per Aasen", "Ressurssykepleier"),
        ("Marte Bråten", "Enhetsleder hjemmetjenesten"),
    ],
    "3903": [("Sigrid Lunde", "Kreftkoordinator"), ("Ola Tveiten", "Ressurssykepleier")],
    "3905": [
        ("Hanne Solberg", "Kreftkoordinator"),
        ("Jonas Rør", "Ressurssykepleier"),
        ("Liv Kragerud", "Avdelingsleder lindrende enhet"),
    ],
    "3907": [("Eirik Mæland", "Kreftkoordinator"), ("Tone Vik", "Ressurssykepleier")],
    "3909": [
        ("Kristin Hov", "Kreftkoordinator"),
        ("Anders Fjeld", "Ressurssykepleier"),
        ("Nina Strand", "Kommuneoverlege"),
    ],
    "3911": [("Bente Nøtterø", "Kreftkoordinator"), ("Lars Tjøme", "Ressurssykepleier")],
    "HF-SIV": [
        ("Randi Kreft", "Kreftsykepleier, palliativt team"),
        ("Thomas Lege", "Overlege, palliativt team"),
    ],
}
# Fieldwork so far: (organisation, person index) → days ago submitted, or "started".
SUBMITTED = {
    ("3901", 0): 18,
    ("3901", 1): 9,
    ("3905", 0): 15,
    ("3905", 2): 4,
    ("3907", 0): 11,
    ("HF-SIV", 0): 6,
}
STARTED = [("3909", 0), ("3911", 0)]
FAILED = {
    ("3911", 1): "SMTPRecipientsRefused: 550 5.1.1 Mottakeradressen finnes ikke",
    ("3909", 2): "TimeoutError: tidsavbrudd mot e-posttjeneren",
}


def email_for(name: str, organisation: Organisation) -> str:
    domain = organisation.name.lower().replace(" ", "-").translate(str.maketrans("æøå", "eoa"))
    return name.lower().translate(str.maketrans("æøå ", "eoa.")) + f"@{domain}.example"


class Command(BaseCommand):
    help = "Last inn demodata for Vestfold og skriv ut innlogging og respondentlenker."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        call_command(
            "import-organisations",
            str(base / "data/organisasjoner-vestfold.csv"),
            aar=2024,
            stdout=self.stdout,
        )
        # The short municipal variant too, so a leader can choose it for a new survey.
        for name in (
            "palliasjon-kommune.yaml",
            "palliasjon-kommune-kort.yaml",
            "palliasjon-helseforetak.yaml",
        ):
            call_command(
                "load-questionnaire", str(base / "questionnaires" / name), stdout=self.stdout
            )
        with transaction.atomic():
            survey = Survey.objects.filter(slug=SLUG).first()
            if survey is None:
                survey = self._create_survey()
                self._play_fieldwork(survey)
            logins = self._staff(survey)
            links = self._links(survey)
        self.stdout.write("")
        self.stdout.write(f"Demo: «{TITLE}» er åpen, {survey.respondents.count()} respondenter.")
        self.stdout.write(f"Logg inn på {settings.SITE_URL}/konto/logg-inn/ som")
        for username, role, password in logins:
            self.stdout.write(f"  {role}: bruker {username}  passord {password}")
        self.stdout.write("Respondentlenker (åpne i nettleseren):")
        for who, link in links:
            self.stdout.write(f"  {who}: {link}")
        if mail_dir := getattr(settings, "EMAIL_FILE_PATH", None):
            self.stdout.write(f"E-post fra demoen skrives til {mail_dir}/ (arbeideren sender dem).")

    def _create_survey(self) -> Survey:
        survey = Survey.objects.create(
            slug=SLUG,
            title=TITLE,
            questionnaire=QuestionnaireVersion.objects.filter(key="palliasjon-kommune").first(),
            hospital_questionnaire=QuestionnaireVersion.objects.filter(
                key="palliasjon-helseforetak"
            ).first(),
            deadline=timezone.localdate() + dt.timedelta(days=24),
            owner_name="Utviklingssenter for sykehjem og hjemmetjenester (USHT) Vestfold",
            contact_email="usht@vestfold.example",
            reminder_schedule="7,3",
        )
        survey.organisations.set(Organisation.objects.filter(number__in=PEOPLE))
        for number, people in PEOPLE.items():
            organisation = Organisation.objects.get(number=number)
            for name, role in people:
                Respondent.objects.create(
                    survey=survey,
                    organisation=organisation,
                    name=name,
                    email=email_for(name, organisation),
                    role=role,
                )
        return survey

    def _play_fieldwork(self, survey: Survey) -> None:
        now = timezone.now()
        survey.open()
        survey.opened_at = now - dt.timedelta(days=21)
        survey.save(update_fields=["opened_at"])
        people = {
            (r.organisation.number, i): r
            for number in PEOPLE
            for i, r in enumerate(
                survey.respondents.filter(organisation__number=number).order_by("pk")
            )
        }
        handed = people[("3909", 1)]
        invitable = [r for key, r in people.items() if key not in FAILED]
        followup.queue_invitations(survey, respondents=invitable, now=now - dt.timedelta(days=21))
        for key, error in FAILED.items():
            # Recorded failures as the SMTP server would report them, so the dashboard's
            # error state and its retry button can be tried (the file backend never fails).
            Email.objects.create(
                survey=survey,
                respondent=people[key],
                kind=Email.Kind.INVITATION,
                to=people[key].email,
                queued_at=now - dt.timedelta(days=21),
                failed_at=now - dt.timedelta(days=21),
                error=error,
                attempts=1,
            )
        rng = random.Random(2026)  # noqa: S311 (demo data, not security)
        for key, days in SUBMITTED.items():
            respondent = people[key]
            questionnaire = survey.questionnaire_for(respondent.organisation).definition
            response = respond(respondent, questionnaire, rng, finish=True)
            when = now - dt.timedelta(days=days)
            Response.objects.filter(pk=response.pk).update(
                opened_at=when - dt.timedelta(days=1), updated_at=when, submitted_at=when
            )
        for index, key in enumerate(STARTED):
            respondent = people[key]
            response = respond(
                respondent,
                survey.questionnaire_for(respondent.organisation).definition,
                rng,
                finish=False,
            )
            when = now - dt.timedelta(days=2 + index, hours=3)
            Response.objects.filter(pk=response.pk).update(opened_at=when, updated_at=when)
        handover.hand_on(
            handed,
            name="Mona Berg",
            email="mona.berg@larvik.example",
            role="Fagsykepleier hjemmetjenesten",
            message="Du har bedre oversikt over hjemmetjenesten enn meg.",
        )

    def _staff(self, survey: Survey) -> list[tuple[str, str, str]]:
        logins = []
        users = get_user_model().objects
        for username, role, label in (
            ("prosjektleder", Membership.Role.LEADER, "Prosjektleder"),
            ("prosjektgruppe", Membership.Role.GROUP, "Prosjektgruppe"),
        ):
            password = secrets.token_urlsafe(12)
            user, _created = users.get_or_create(username=username, defaults={"is_staff": True})
            user.set_password(password)
            user.save()
            Membership.objects.get_or_create(survey=survey, user=user, defaults={"role": role})
            logins.append((username, label, password))
        admin, _created = users.get_or_create(
            username="admin", defaults={"is_staff": True, "is_superuser": True}
        )
        password = secrets.token_urlsafe(12)
        admin.set_password(password)
        admin.save()
        logins.append(("admin", "Administrator (/admin/)", password))
        return logins

    def _links(self, survey: Survey) -> list[tuple[str, str]]:
        links = []
        for number in ("3903", "HF-SIV"):
            respondent = (
                survey.respondents.filter(organisation__number=number).order_by("pk").first()
            )
            links.append(
                (
                    f"{respondent.name}, {respondent.role}, {respondent.organisation}",
                    Respondent.link_for(respondent.issue_token()),
                )
            )
        return links
