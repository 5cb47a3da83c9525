"""Background tasks. Arguments are ids only; the task reads the rest from the database."""

from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kartlegging.core.workers import task_abandoned
from kartlegging.surveys import mail
from kartlegging.surveys.models import Email


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
