from django.core.management.base import BaseCommand

from kartlegging.surveys.management.lookup import survey_or_error


class Command(BaseCommand):
    help = "Åpne en kartlegging for svar."

    def add_arguments(self, parser):
        parser.add_argument("slug")

    def handle(self, *args, slug: str, **options):
        survey = survey_or_error(slug)
        survey.open()
        self.stdout.write(f"«{survey.title}» er åpen for svar.")
