"""Background tasks, and the one place that enqueues them. Arguments are ids only; the task
reads the rest from the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kartlegging.accounts.tasks import password_link, send_templated
from kartlegging.core.workers import task_abandoned
from kartlegging.surveys import mail
from kartlegging.surveys.models import Email, Respondent, Survey


@task()
def send_email(email_id: int) -> None:
    mail.deliver(email_id)


@receiver(task_abandoned)
def email_abandoned(sender, task_result, **kwargs) -> None:
    """Shown on the dashboard as a failed e-mail, with «Prøv igjen»."""
    if task_result.task_path != send_email.module_path:
        return
    (email_id,) = task_result.args_kwargs["args"]
    Email.objects.filter(pk=email_id, sent_at__isnull=True).update(
        failed_at=timezone.now(),
        error=_("Arbeidsprosessen stoppet under sendingen, tre ganger på rad."),
    )


@task()
def send_staff_invitation(user_id: int, survey_id: int, inviter_id: int) -> None:
    """A new colleague on a survey: what it is, who invited them, and how to get in."""
    users = get_user_model().objects
    user = users.get(pk=user_id, is_active=True)
    link = (
        password_link(user)
        if not user.has_usable_password()
        else settings.SITE_URL + reverse("accounts:login")
    )
    context = {
        "user": user,
        "survey": Survey.objects.get(pk=survey_id),
        "inviter": users.filter(pk=inviter_id).first(),
        "link": link,
        "new": not user.has_usable_password(),
    }
    send_templated("ansatt_invitasjon", user.email, context)


def queue(
    respondents: Iterable[Respondent], kind: str, now: dt.datetime | None = None
) -> list[Email]:
    """Record one e-mail per respondent and hand each to the background task."""
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
        # Enqueued inside the transaction: the queue is a table in the same database, so
        # the rows and their tasks commit together or not at all (an outbox). Tests run
        # the task at once.
        for email in emails:
            send_email.enqueue(email.pk)
    return emails


def queue_receipt(respondent: Respondent) -> Email:
    return queue([respondent], Email.Kind.RECEIPT)[0]


def retry(email: Email) -> Email:
    """Send a failed e-mail again (a new attempt on the same record)."""
    email.failed_at = None
    email.error = ""
    email.queued_at = timezone.now()
    email.save(update_fields=["failed_at", "error", "queued_at"])
    send_email.enqueue(email.pk)
    return email
