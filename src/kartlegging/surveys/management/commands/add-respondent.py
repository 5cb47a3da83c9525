from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.core.validators import validate_email
from django.db import transaction

from kartlegging.surveys.management.lookup import survey_or_error
from kartlegging.surveys.models import Respondent


class Command(BaseCommand):
    help = "Legg til en respondent og skriv ut den personlige lenken."

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)
        parser.add_argument("--organisation", required=True, help="Organisasjonsnummer")
        parser.add_argument("--name", required=True)
        parser.add_argument("--email", required=True)
        parser.add_argument("--role", default="")

    @transaction.atomic
    def handle(self, *args, **o):
        survey = survey_or_error(o["survey"])
        organisation = survey.organisations.filter(number=o["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Organisasjon {o['organisation']} er ikke med i kartleggingen.")
        email = o["email"].strip().lower()
        try:
            validate_email(email)
        except ValidationError:
            raise CommandError(f"«{o['email']}» er ikke en gyldig e-postadresse.") from None
        if survey.respondents.filter(email=email).exists():
            raise CommandError(f"{email} er allerede respondent i denne kartleggingen.")
        respondent = Respondent(
            survey=survey,
            organisation=organisation,
            name=o["name"].strip(),
            email=email,
            role=o["role"].strip(),
        )
        respondent.save()
        token = respondent.issue_token()
        self.stdout.write(Respondent.link_for(token))
