"""Staff e-mail from the worker: one-time links to choose a password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from kartlegging.core.mail import templated_email
from kartlegging.core.models import audit


def password_link(user) -> str:
    """A one-time link to choose a password (Django's reset token: made here, never stored)."""
    path = reverse(
        "accounts:new_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return settings.SITE_URL + path


def send_templated(name: str, to: str, context: dict) -> None:
    templated_email(name, to, context).send()


@task()
def send_password_reset(user_id: int) -> None:
    user = get_user_model().objects.get(pk=user_id, is_active=True)
    send_templated("glemt_passord", user.email, {"user": user, "link": password_link(user)})
    audit("password_reset.sent", user)
