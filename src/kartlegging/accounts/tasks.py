"""Staff e-mail from the worker: the one-time link for a forgotten password."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from kartlegging.core.models import audit


@task()
def send_password_reset(user_id: int) -> None:
    user = get_user_model().objects.get(pk=user_id, is_active=True)
    path = reverse(
        "accounts:new_password",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    context = {"user": user, "link": settings.SITE_URL + path}
    message = EmailMultiAlternatives(
        subject=" ".join(render_to_string("emails/glemt_passord_subject.txt", context).split()),
        body=render_to_string("emails/glemt_passord.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("emails/glemt_passord.html", context), "text/html")
    message.send()
    audit("password_reset.sent", user)
