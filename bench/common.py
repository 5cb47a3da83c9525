"""Shared set-up for the benchmarks: a throwaway database with every Norwegian municipality.

Call `national_survey()` first in a benchmark: it configures Django (a temporary SQLite
file unless DATABASE_URL is set), migrates, imports ../shared/data/kommuner.csv and
returns an open survey of the default questionnaire covering all 357 municipalities.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))


def national_survey(**fields):
    tmp = tempfile.mkdtemp(prefix="kartlegging-bench-")
    os.environ.setdefault("KARTLEGGING_MODE", "test")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kartlegging.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from kartlegging.organisations.importing import import_organisations
    from kartlegging.organisations.models import Organisation
    from kartlegging.questionnaires.models import load_questionnaire
    from kartlegging.surveys.models import Survey

    call_command("migrate", verbosity=0)
    import_organisations((ROOT.parent / "shared/data/kommuner.csv").read_bytes(), year=2024)
    version, _created = load_questionnaire(
        (ROOT / "questionnaires/palliasjon-kommune.yaml").read_text(encoding="utf-8"))
    survey = Survey.objects.create(slug="norge", questionnaire=version, **fields)
    survey.organisations.set(Organisation.objects.all())
    survey.open()
    return survey
