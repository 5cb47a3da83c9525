from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.questionnaires.fhir import from_fhir_json, looks_like_fhir
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.questionnaires.schema import QuestionnaireError


class Command(BaseCommand):
    help = (
        "Kontroller og last inn et spørreskjema (YAML, eller FHIR R4 Questionnaire som JSON). "
        "Skriver nøkkel og versjon."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)

    def handle(self, *args, file: Path, **options):
        if not file.exists():
            raise CommandError(f"Fant ikke filen {file}.")
        try:
            source = file.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise CommandError(f"{file} er ikke i UTF-8.") from None
        try:
            if looks_like_fhir(file.name, source):
                source, warnings = from_fhir_json(source)
                if warnings:
                    self.stdout.write(
                        f"{file}: {len(warnings)} ting fra FHIR-filen kunne ikke tas med "
                        "som de er:\n  " + "\n  ".join(warnings)
                    )
            version, created = load_questionnaire(source)
        except QuestionnaireError as exc:
            raise CommandError(
                f"{file} har {len(exc.problems)} feil:\n  " + "\n  ".join(exc.problems)
            ) from None
        parsed = version.definition
        state = "ny versjon" if created else "uendret, samme versjon som før"
        self.stdout.write(
            f"{version.key} versjon {version.version} ({state}): "
            f"{len(parsed.sections)} seksjoner, {len(parsed.questions)} spørsmål"
        )
