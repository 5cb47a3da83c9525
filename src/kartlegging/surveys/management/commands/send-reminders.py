from django.core.management.base import BaseCommand, CommandError

from kartlegging.surveys import mail
from kartlegging.surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Send påminnelse til inviterte som ikke har levert, høyst én gang per påminnelsesintervall."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)

    def handle(self, *args, survey: str, **options):
        found = Survey.objects.filter(slug=survey).first()
        if found is None:
            raise CommandError(f"Fant ingen kartlegging med kortnavnet «{survey}».")
        if not found.is_open:
            raise CommandError(f"«{found.title}» er ikke åpen.")
        emails = mail.queue_reminders(found)
        self.stdout.write(f"{len(emails)} påminnelser lagt i kø.")
