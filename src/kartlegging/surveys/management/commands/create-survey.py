import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from kartlegging.organisations.models import Organisation
from kartlegging.organisations.sizes import parse_boundaries
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.surveys.models import Survey


class Command(BaseCommand):
    help = "Opprett en kartlegging (utkast) fra nyeste versjon av et spørreskjema."

    def add_arguments(self, parser):
        parser.add_argument("--questionnaire", required=True, help="Spørreskjemaets nøkkel")
        parser.add_argument(
            "--hospital-questionnaire",
            default="",
            help="Nøkkel for eget skjema til helseforetak (valgfritt)",
        )
        parser.add_argument("--slug", required=True)
        parser.add_argument("--title", required=True)
        parser.add_argument(
            "--organisations", default="all", help="all, eller organisasjonsnumre skilt med komma"
        )
        parser.add_argument("--deadline", help="Svarfrist, ÅÅÅÅ-MM-DD")
        parser.add_argument(
            "--size-classes",
            default="5000,20000",
            help="Grenser for liten/mellomstor/stor kommune, f.eks. 5000,20000",
        )
        parser.add_argument("--owner", default="", help="Hvem som spør, slik respondenten ser det")
        parser.add_argument("--contact-email", default="")

    @transaction.atomic
    def handle(self, *args, **o):
        version = QuestionnaireVersion.objects.filter(key=o["questionnaire"]).first()
        if version is None:
            raise CommandError(
                f"Fant ikke spørreskjemaet «{o['questionnaire']}». "
                "Last det inn med kartlegging load-questionnaire FIL."
            )
        hospital = None
        if o["hospital_questionnaire"]:
            hospital = QuestionnaireVersion.objects.filter(key=o["hospital_questionnaire"]).first()
            if hospital is None:
                raise CommandError(f"Fant ikke spørreskjemaet «{o['hospital_questionnaire']}».")
        if Survey.objects.filter(slug=o["slug"]).exists():
            raise CommandError(f"Det finnes allerede en kartlegging med kortnavnet «{o['slug']}».")
        try:
            lower, upper = parse_boundaries(o["size_classes"])
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        deadline = None
        if o["deadline"]:
            try:
                deadline = dt.date.fromisoformat(o["deadline"])
            except ValueError:
                raise CommandError("Svarfristen må skrives ÅÅÅÅ-MM-DD.") from None
        if o["organisations"] == "all":
            organisations = list(Organisation.objects.all())
        else:
            numbers = [n.strip() for n in o["organisations"].split(",") if n.strip()]
            organisations = list(Organisation.objects.filter(number__in=numbers))
            unknown = sorted(set(numbers) - {org.number for org in organisations})
            if unknown:
                raise CommandError(f"Ukjente organisasjonsnumre: {', '.join(unknown)}.")
        if not organisations:
            raise CommandError(
                "Ingen organisasjoner valgt. Importer dem først "
                "(kartlegging import-organisations FIL)."
            )
        survey = Survey.objects.create(
            slug=o["slug"],
            title=o["title"],
            questionnaire=version,
            hospital_questionnaire=hospital,
            deadline=deadline,
            size_lower=lower,
            size_upper=upper,
            owner_name=o["owner"],
            contact_email=o["contact_email"],
        )
        survey.organisations.set(organisations)
        self.stdout.write(
            f"Opprettet «{survey.title}» ({survey.slug}) med {version} og "
            f"{len(organisations)} organisasjoner. Status: utkast."
        )
