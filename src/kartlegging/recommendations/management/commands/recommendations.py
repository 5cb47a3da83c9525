import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kartlegging.recommendations.engine import DEVIATION, NOT_ASSESSED
from kartlegging.recommendations.exporting import FORMATS
from kartlegging.recommendations.rules import (
    DEFAULT_RULES,
    RulesError,
    load_rules,
    shared_parameters,
)
from kartlegging.recommendations.service import scorecards, survey_parameters
from kartlegging.surveys.management.lookup import survey_or_error


class Command(BaseCommand):
    help = (
        "Vurder svarene mot de nasjonale anbefalingene: én rad per organisasjon og regel "
        "(status, funn, anbefaling, kilder og svarene bak)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--survey", required=True)
        parser.add_argument("--format", required=True, choices=sorted(FORMATS))
        parser.add_argument("-o", "--output", required=True, type=Path)
        parser.add_argument("--rules", type=Path, default=DEFAULT_RULES, help="Regelfil (YAML)")
        parser.add_argument(
            "--parameter",
            action="append",
            default=[],
            metavar="NAVN=VERDI",
            help="Overstyr en terskel, f.eks. terskel_innbyggere=45000 (kan gjentas)",
        )

    def handle(self, *args, **o):
        survey = survey_or_error(o["survey"])
        try:
            rules = load_rules(o["rules"])
        except RulesError as exc:
            raise CommandError("Regelfilen har feil:\n  " + "\n  ".join(exc.problems)) from None
        parameters = survey_parameters(survey)
        shared = shared_parameters(rules)
        for item in o["parameter"]:
            name, _, value = item.partition("=")
            if name not in shared:
                raise CommandError(f"Ukjent terskel «{name}». Finnes: {', '.join(shared)}")
            try:
                number = float(value.replace(",", "."))
            except ValueError:
                raise CommandError(f"«{value}» er ikke et tall ({name}).") from None
            for rule_id in shared[name][1]:
                parameters.setdefault(rule_id, {})[name] = number
        start = time.perf_counter()
        cards = scorecards(survey, rules, parameters=parameters)
        data = FORMATS[o["format"]][1](cards)
        o["output"].write_bytes(data)
        findings = [f for c in cards for f in c.findings]
        self.stdout.write(
            # Each organisation is scored on the rules for its kind that the survey can answer.
            f"Skrev {o['output']}: {len(cards)} organisasjoner, {len(findings)} vurderinger, "
            f"{sum(f.status == DEVIATION for f in findings)} avvik, "
            f"{sum(f.status == NOT_ASSESSED for f in findings)} ikke vurdert "
            f"({time.perf_counter() - start:.1f} s)."
        )
