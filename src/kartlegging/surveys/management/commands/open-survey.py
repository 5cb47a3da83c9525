from django.core.management.base import BaseCommand, CommandError

from kartlegging.surveys.models import Survey


class Command(BaseCommand):
    help = "Åpne en kartlegging for svar."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        survey = Survey.objects.filter(slug=slug).first()
        if survey is None:
            raise CommandError(f"Fant ingen kartlegging med kortnavnet «{slug}».")
        survey.open()
        self.stdout.write(f"«{survey.title}» er åpen for svar.")
