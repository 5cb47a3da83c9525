"""Load the demo: Vestfold registry, both questionnaires, an open survey, invented people.

Safe to run again: the registry and questionnaires are upserted, the survey is
created once, and two respondents get fresh links each run (printed at the end;
links printed by earlier runs keep working).
"""

import datetime as dt
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.surveys.models import Respondent, Survey

SLUG = "vestfold-2026"
TITLE = "Kartlegging av palliative tjenester i Vestfold 2026"

# Invented people. Addresses use the reserved .example domain so nothing can be sent to them.
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


class Command(BaseCommand):
    help = "Last inn demodata for Vestfold og skriv ut respondentlenker og admin-innlogging."

    def handle(self, *args, **options):
        base = Path(settings.BASE_DIR)
        call_command(
            "import-organisations",
            str(base / "data/organisasjoner-vestfold.csv"),
            aar=2024,
            stdout=self.stdout,
        )
        for name in ("palliasjon-kommune.yaml", "palliasjon-helseforetak.yaml"):
            call_command(
                "load-questionnaire", str(base / "questionnaires" / name), stdout=self.stdout
            )
        with transaction.atomic():
            survey = self._survey()
            links = self._respondents(survey)
        password = self._admin()
        self.stdout.write("")
        self.stdout.write(f"Demo: «{TITLE}» er åpen, {survey.respondents.count()} respondenter.")
        self.stdout.write("Respondentlenker (åpne i nettleseren):")
        for who, link in links:
            self.stdout.write(f"  {who}: {link}")
        self.stdout.write(
            f"Administrasjon: {settings.SITE_URL}/admin/  bruker: demo  passord: {password}"
        )

    def _survey(self) -> Survey:
        survey = Survey.objects.filter(slug=SLUG).first()
        if survey is None:
            survey = Survey.objects.create(
                slug=SLUG,
                title=TITLE,
                questionnaire=QuestionnaireVersion.objects.filter(key="palliasjon-kommune").first(),
                hospital_questionnaire=QuestionnaireVersion.objects.filter(
                    key="palliasjon-helseforetak"
                ).first(),
                deadline=dt.date(2027, 2, 15),
                owner_name="Utviklingssenter for sykehjem og hjemmetjenester (USHT) Vestfold",
                contact_email="usht@vestfold.example",
            )
            survey.organisations.set(Organisation.objects.filter(number__in=PEOPLE))
        if not survey.is_open:
            survey.open()
        return survey

    def _respondents(self, survey: Survey) -> list[tuple[str, str]]:
        links = []
        for number, people in PEOPLE.items():
            organisation = Organisation.objects.get(number=number)
            domain = (
                organisation.name.lower().replace(" ", "-").translate(str.maketrans("æøå", "eoa"))
                + ".example"
            )
            for index, (name, role) in enumerate(people):
                email = name.lower().translate(str.maketrans("æøå ", "eoa.")) + "@" + domain
                respondent = survey.respondents.filter(email=email).first()
                if respondent is None:
                    respondent = Respondent(
                        survey=survey, organisation=organisation, name=name, email=email, role=role
                    )
                    respondent.save()
                token = respondent.issue_token()
                # Print one municipal and one hospital link; the others exist for the survey.
                if index == 0 and number in ("3903", "HF-SIV"):
                    links.append(
                        (f"{name}, {role}, {organisation.name}", Respondent.link_for(token))
                    )
        return links

    def _admin(self) -> str:
        password = secrets.token_urlsafe(12)
        user, _created = get_user_model().objects.get_or_create(
            username="demo", defaults={"is_staff": True, "is_superuser": True}
        )
        user.set_password(password)
        user.save()
        return password
