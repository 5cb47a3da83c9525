from django.core.management.base import BaseCommand

from kartlegging.responses import followup
from kartlegging.surveys.management.lookup import survey_or_error


class Command(BaseCommand):
    help = "Send invitasjon til alle respondenter som ikke er invitert ennå."

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)

    def handle(self, *args, survey: str, **options):
        found = survey_or_error(survey, must_be_open=True)
        emails = followup.queue_invitations(found)
        self.stdout.write(
            f"{len(emails)} invitasjoner lagt i kø. Kjør «kartlegging worker» "
            "for å sende dem (make demo gjør det selv)."
        )
