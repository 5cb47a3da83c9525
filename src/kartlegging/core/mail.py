"""Every e-mail is a subject / text / HTML template trio (emails/<name>_subject.txt, .txt,
.html) rendered with one context; this builds the message, the caller sends it."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string


def templated_email(
    name: str, to: str, context: dict, reply_to: list[str] | None = None
) -> EmailMultiAlternatives:
    subject = " ".join(render_to_string(f"emails/{name}_subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string(f"emails/{name}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to,
    )
    message.attach_alternative(render_to_string(f"emails/{name}.html", context), "text/html")
    return message
