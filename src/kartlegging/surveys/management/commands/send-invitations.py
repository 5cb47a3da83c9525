from django.core.management.base import BaseCommand, CommandError

from kartlegging.surveys import mail
from kartlegging.surveys.models import Survey


class Command(BaseCommand):
    help = "Send invitasjon til alle respondenter som ikke er invitert ennå."

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)

    def handle(self, *args, survey: str, **options):
        found = Survey.objects.filter(slug=survey).first()
        if found is None:
            raise CommandError(f"Fant ingen kartlegging med kortnavnet «{survey}».")
        if not found.is_open:
            raise CommandError(f"«{found.title}» er ikke åpen. Åpne den først (open-survey).")
        emails = mail.queue_invitations(found)
        self.stdout.write(
            f"{len(emails)} invitasjoner lagt i kø. Kjør «kartlegging worker» "
            "for å sende dem (make demo gjør det selv)."
        )
