"""Who is invited and reminded: active respondents who have not answered yet.

Reads the responses (a respondent who has submitted, on the web or by an imported
paper form, is never invited or reminded), so it lives in the answer stage; recording
and sending the e-mail is surveys/mail.py's. `now` is passed in so tests control the clock.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max, QuerySet
from django.utils import timezone

from kartlegging.responses.models import Response
from kartlegging.surveys.mail import active_respondents
from kartlegging.surveys.models import Email, Respondent, Survey
from kartlegging.surveys.tasks import queue


def not_invited(survey: Survey) -> QuerySet[Respondent]:
    """Active respondents with no invitation queued or sent (failed ones are retried instead)."""
    invited = Email.objects.filter(kind=Email.Kind.INVITATION, failed_at__isnull=True)
    # Responses imported from paper or another tool are already submitted: never invite them.
    submitted = Response.objects.filter(status=Response.Status.SUBMITTED).values("respondent")
    return (
        active_respondents(survey)
        .exclude(pk__in=invited.values("respondent"))
        .exclude(pk__in=submitted)
    )


def queue_invitations(
    survey: Survey, respondents: Iterable[Respondent] | None = None, now: dt.datetime | None = None
) -> list[Email]:
    targets = not_invited(survey) if respondents is None else respondents
    return queue(targets, Email.Kind.INVITATION, now)


def reminder_candidates(
    survey: Survey, now: dt.datetime, *, min_gap: dt.timedelta
) -> QuerySet[Respondent]:
    """Invited, active, not submitted, and not contacted within `min_gap`."""
    contacted = (
        Email.objects.filter(
            survey=survey,
            failed_at__isnull=True,
            kind__in=[Email.Kind.INVITATION, Email.Kind.REMINDER],
        )
        .values("respondent")
        .annotate(last=Max("queued_at"))
    )
    recent = [row["respondent"] for row in contacted if row["last"] > now - min_gap]
    invited = [row["respondent"] for row in contacted]
    submitted = Response.objects.filter(
        respondent__survey=survey, status=Response.Status.SUBMITTED
    ).values("respondent")
    return (
        active_respondents(survey)
        .filter(pk__in=invited)
        .exclude(pk__in=recent)
        .exclude(pk__in=submitted)
    )


def queue_reminders(
    survey: Survey, respondents: QuerySet[Respondent] | None = None, now: dt.datetime | None = None
) -> list[Email]:
    """Remind those who have not submitted, at most once per the survey's interval."""
    now = now or timezone.now()
    gap = dt.timedelta(days=survey.reminder_interval_days)
    candidates = reminder_candidates(survey, now, min_gap=gap)
    if respondents is not None:
        candidates = candidates.filter(pk__in=respondents.values("pk"))
    return queue(list(candidates), Email.Kind.REMINDER, now)


def queue_scheduled_reminders(now: dt.datetime | None = None) -> dict[str, int]:
    """Send the automatic reminders due today (e.g. 7 and 3 days before the deadline).

    On a scheduled day the schedule wins over the interval, but nobody gets more
    than one invitation or reminder per calendar day.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    start_of_day = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    sent: dict[str, int] = {}
    for survey in Survey.objects.filter(state=Survey.State.OPEN, deadline__isnull=False):
        if (survey.deadline - today).days not in survey.scheduled_reminder_days():
            continue
        candidates = reminder_candidates(survey, now, min_gap=now - start_of_day)
        emails = queue(list(candidates), Email.Kind.REMINDER, now)
        if emails:
            sent[survey.slug] = len(emails)
    return sent
