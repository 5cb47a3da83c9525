"""Background tasks. Arguments are ids only; the task reads the rest from the database."""

from django_tasks import task

from kartlegging.surveys import mail


@task()
def send_email(email_id: int) -> None:
    mail.deliver(email_id)
