"""`kartlegging purge`: delete respondents' personal data past each survey's deletion date.

The worker runs the same every round; this command is for a server without a worker or
for the operator who wants to see it done. `--survey` deletes early for one closed survey.
"""

from django.core.management.base import BaseCommand, CommandError

from kartlegging.surveys import privacy
from kartlegging.surveys.models import Survey


class Command(BaseCommand):
    help = (
        "Slett navn, e-postadresser og lenker til respondenter i lukkede kartlegginger "
        "som har passert slettedatoen. Svarene blir stående uten navn."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--survey", metavar="KORTNAVN", help="Slett nå for én lukket kartlegging"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Vis hva som ville blitt slettet"
        )

    def handle(self, *args, survey: str | None, dry_run: bool, **options):
        if survey:
            found = Survey.objects.filter(slug=survey).first()
            if found is None:
                raise CommandError(f"Fant ingen kartlegging med kortnavnet «{survey}».")
            if found.state != Survey.State.CLOSED:
                raise CommandError(f"«{survey}» er ikke lukket. Lukk den før du sletter.")
            targets = [found]
        else:
            targets = privacy.due_surveys()
        for target in targets:
            if dry_run:
                done = privacy.what_goes(target.respondents.all())
            else:
                done = privacy.purge_survey(target, reason="kommando")
            if done.anything or dry_run:
                verb = "ville slettet" if dry_run else "slettet"
                self.stdout.write(
                    f"{target.slug}: {verb} personopplysninger om {done.respondents} "
                    f"respondenter ({done.links} lenker, {done.emails} e-postadresser)."
                )
