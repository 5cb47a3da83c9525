from django.core.management.base import BaseCommand

from kartlegging.responses import followup
from kartlegging.surveys.management.lookup import survey_or_error


class Command(BaseCommand):
    help = (
        "Send påminnelse til inviterte som ikke har levert, høyst én gang per påminnelsesintervall."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)

    def handle(self, *args, survey: str, **options):
        found = survey_or_error(survey, must_be_open=True)
        emails = followup.queue_reminders(found)
        self.stdout.write(f"{len(emails)} påminnelser lagt i kø.")
