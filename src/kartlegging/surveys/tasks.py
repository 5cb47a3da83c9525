"""Background tasks. Arguments are ids only; the task reads the rest from the database."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from kartlegging.accounts.tasks import password_link, send_templated
from kartlegging.core.workers import task_abandoned
from kartlegging.surveys import mail
from kartlegging.surveys.models import Email, Survey


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
