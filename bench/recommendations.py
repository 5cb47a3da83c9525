"""Benchmark: recommendations for a simulated national survey.

Run: .venv/bin/python bench/recommendations.py [--per-organisation 5]
357 municipalities from ../shared/data/kommuner.csv × N respondents with invented
answers, in a throwaway SQLite database. Reports wall time for the scorecards of
all organisations (rules × organisations), one organisation's scorecard, the regional view and the CSV export.
"""

from __future__ import annotations

import argparse
import time

from common import fill_answers, national_survey


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-organisation", type=int, default=5)
    args = parser.parse_args()
    survey = national_survey(title="Palliasjon i Norges kommuner", owner_name="Benchmark")
    from kartlegging.recommendations import regional
    from kartlegging.recommendations.exporting import to_csv
    from kartlegging.recommendations.rules import load_rules
    from kartlegging.recommendations.service import places, scorecards

    fill_answers(survey, args.per_organisation)
    rules = load_rules()
    start = time.perf_counter()
    cards = scorecards(survey, rules)
    findings = sum(len(c.findings) for c in cards)
    print(f"scorecards: {time.perf_counter() - start:.1f} s, {len(cards)} organisations, "
          f"{findings} findings")
    start = time.perf_counter()
    scorecards(survey, rules, only="3909")  # what one scorecard page computes
    print(f"one scorecard (Larvik): {time.perf_counter() - start:.2f} s")
    start = time.perf_counter()
    municipalities = places(cards)
    regional.matrix(municipalities)
    found = regional.opportunities(municipalities)
    print(f"regional view: {time.perf_counter() - start:.2f} s, {len(found)} opportunities")
    start = time.perf_counter()
    data = to_csv(cards)
    print(f"csv: {time.perf_counter() - start:.1f} s, {len(data) // 1024} KB")


if __name__ == "__main__":
    main()
