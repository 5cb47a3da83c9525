"""Invitations, reminders and receipts: who gets which e-mail, and delivering one.

Queueing is decided here (pure rules over the database, with `now` passed in so
tests control the clock); sending happens in the background task
`kartlegging.surveys.tasks.send_email`, never inside a request. Every e-mail is
an Email row: queued, then sent or failed with the error, so nothing is lost
and a failure can be retried.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Max, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kartlegging.core.mail import templated_email
from kartlegging.responses.models import Response
from kartlegging.surveys.models import Email, Respondent, Survey

logger = logging.getLogger(__name__)

# Respondents who may be contacted: not removed, not handed on, not anonymised.
ACTIVE = Q(removed_at__isnull=True, handed_to__isnull=True, anonymised_at__isnull=True)


def active_respondents(survey: Survey) -> QuerySet[Respondent]:
    return survey.respondents.filter(ACTIVE)


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


def queue(
    respondents: Iterable[Respondent], kind: str, now: dt.datetime | None = None
) -> list[Email]:
    """Record one e-mail per respondent and hand each to the background task."""
    from kartlegging.surveys.tasks import send_email

    now = now or timezone.now()
    emails = []
    with transaction.atomic():
        for respondent in respondents:
            email = Email.objects.create(
                survey_id=respondent.survey_id,
                respondent=respondent,
                kind=kind,
                to=respondent.email,
                queued_at=now,
            )
            emails.append(email)
        # The database queue commits with these rows; tests run the task at once.
        for email in emails:
            send_email.enqueue(email.pk)
    return emails


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


def queue_receipt(respondent: Respondent) -> Email:
    return queue([respondent], Email.Kind.RECEIPT)[0]


def retry(email: Email) -> Email:
    """Send a failed e-mail again (a new attempt on the same record)."""
    from kartlegging.surveys.tasks import send_email

    email.failed_at = None
    email.error = ""
    email.queued_at = timezone.now()
    email.save(update_fields=["failed_at", "error", "queued_at"])
    send_email.enqueue(email.pk)
    return email


def deliver(email_id: int) -> Email:
    """Render and send one e-mail; record success or the error. Safe to call twice."""
    email = Email.objects.select_related("respondent__organisation", "survey").get(pk=email_id)
    if email.sent_at or email.respondent.anonymised_at:
        return email  # sent already, or cancelled when the personal data was deleted
    respondent, survey = email.respondent, email.survey
    if respondent.removed_at:
        # Removed (or a hand-on undone) while this waited in the queue: never send it.
        email.failed_at = timezone.now()
        email.error = _("Ikke sendt: respondenten ble fjernet fra kartleggingen før e-posten gikk.")
        email.save(update_fields=["failed_at", "error"])
        return email
    # A fresh personal link per e-mail; earlier links keep working.
    link = Respondent.link_for(respondent.issue_token())
    context = {
        "respondent": respondent,
        "survey": survey,
        "link": link,
        "email": email,
        "response": Response.objects.filter(respondent=respondent).first(),
        # Set when a colleague handed the invitation on to this respondent.
        "giver": respondent.handed_from.first(),
    }
    message = templated_email(
        email.kind,
        email.to,
        context,
        reply_to=[survey.contact_email] if survey.contact_email else None,
    )
    email.subject = message.subject
    email.attempts += 1
    try:
        message.send()
    except Exception as exc:  # any transport failure is recorded, never raised to the queue
        email.failed_at = timezone.now()
        email.error = f"{type(exc).__name__}: {exc}"[:2000]
        # Log the record id only: no addresses or names in logs.
        logger.warning("E-mail %s (%s) failed: %s", email.pk, email.kind, type(exc).__name__)
    else:
        email.sent_at = timezone.now()
        email.failed_at = None
        email.error = ""
    email.save(update_fields=["subject", "attempts", "sent_at", "failed_at", "error"])
    return email
