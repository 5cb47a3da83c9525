"""E-mail to respondents: recording one, delivering it, retrying a failure.

Who is invited or reminded depends on their answers and is decided a stage later
(responses/followup.py); this module only records what it is given. Sending happens
in the background task `kartlegging.surveys.tasks.send_email`, never inside a request.
Every e-mail is an Email row: queued, then sent or failed with the error, so nothing
is lost and a failure can be retried.
"""

from __future__ import annotations

import logging

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from kartlegging.core.mail import templated_email
from kartlegging.surveys.models import Email, Respondent, Survey

logger = logging.getLogger(__name__)

# Respondents who may be contacted: not removed, not handed on, not anonymised.
ACTIVE = Q(removed_at__isnull=True, handed_to__isnull=True, anonymised_at__isnull=True)


def active_respondents(survey: Survey) -> QuerySet[Respondent]:
    return survey.respondents.filter(ACTIVE)


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
