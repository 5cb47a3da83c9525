"""Benchmark: the fieldwork dashboard for all 357 municipalities and 1 500 respondents.

Run: .venv/bin/python bench/dashboard.py [--respondents 1500] [--renders 5]
Uses a throwaway SQLite database (or DATABASE_URL), loads ../shared/data/kommuner.csv,
invents respondents in every state, then renders the dashboard and its htmx
fragment as the project leader and reports the query count and render time.
Bounded: a fixed number of renders, no network.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import time

from common import national_survey


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--respondents", type=int, default=1500)
    parser.add_argument("--renders", type=int, default=5)
    args = parser.parse_args()

    survey = national_survey(title="Hele landet",
                             deadline=dt.date.today() + dt.timedelta(days=20))
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.utils import timezone

    from kartlegging.responses.models import Response
    from kartlegging.surveys.models import Email, Membership, Respondent

    setup_test_environment()
    organisations = list(survey.organisations.all())
    rng = random.Random(357)  # noqa: S311
    now = timezone.now()
    respondents = Respondent.objects.bulk_create(
        Respondent(survey=survey, organisation=organisations[i % len(organisations)],
                   name=f"Person {i}", email=f"person{i}@kommune.example", role="Sykepleier")
        for i in range(args.respondents))
    emails, responses = [], []
    for respondent in respondents:
        state = rng.random()
        if state > 0.1:
            emails.append(Email(survey=survey, respondent=respondent, kind="invitasjon",
                                to=respondent.email, queued_at=now, sent_at=now))
        else:
            emails.append(Email(survey=survey, respondent=respondent, kind="invitasjon",
                                to=respondent.email, queued_at=now, failed_at=now,
                                error="SMTPRecipientsRefused"))
        if state > 0.4:
            status = rng.choice(["apnet", "pabegynt", "levert", "levert"])
            when = now - dt.timedelta(days=rng.randint(0, 20))
            responses.append(Response(respondent=respondent, status=status,
                                      submitted_at=when if status == "levert" else None,
                                      updated_at=when))
    Email.objects.bulk_create(emails)
    Response.objects.bulk_create(responses)
    user = get_user_model().objects.create_user("bench", password="x" * 20, is_staff=True)
    Membership.objects.create(survey=survey, user=user, role="prosjektleder")
    client = Client()
    client.force_login(user)

    for path in ("/kartlegginger/norge/", "/kartlegginger/norge/status/"):
        client.get(path)  # warm-up: templates compiled, caches filled
        timings = []
        for _ in range(args.renders):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                reply = client.get(path)
                timings.append(time.perf_counter() - start)
            assert reply.status_code == 200, reply.status_code
        print(f"{path}: {len(queries)} queries, median {statistics.median(timings) * 1000:.0f} ms, "
              f"max {max(timings) * 1000:.0f} ms, {len(reply.content) / 1024:.0f} KB HTML "
              f"({len(organisations)} organisations, {args.respondents} respondents, "
              f"{connection.vendor})")


if __name__ == "__main__":
    main()
