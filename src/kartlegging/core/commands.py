"""What every import command does around its importer: read the file, report problems."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from kartlegging.core.csvfiles import ImportProblems


def read_import_file(path: Path) -> bytes:
    if not path.is_file():
        raise CommandError(f"Fant ikke filen {path}.")
    return path.read_bytes()


def nothing_imported(exc: ImportProblems) -> CommandError:
    return CommandError("Ingenting ble importert. Rett opp dette:\n  " + "\n  ".join(exc.problems))
