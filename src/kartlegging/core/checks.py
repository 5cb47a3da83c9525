"""System checks for settings that are valid Python but wrong for a deployment."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Warning, register


@register("kartlegging")
def check_deployment(app_configs, **kwargs):
    problems = []
    production = settings.MODE == "production"
    if production and settings.DEBUG:
        problems.append(
            Warning(
                "DEBUG is on in production mode.",
                hint="Unset DEBUG or set DEBUG=false.",
                id="kartlegging.W001",
            )
        )
    if production and not settings.ALLOWED_HOSTS:
        problems.append(
            Error(
                "ALLOWED_HOSTS is empty in production mode.",
                hint="Set ALLOWED_HOSTS=kartlegging.example.no",
                id="kartlegging.E001",
            )
        )
    if settings.EMAIL_USE_TLS and settings.EMAIL_USE_SSL:
        problems.append(
            Error(
                "EMAIL_USE_TLS and EMAIL_USE_SSL are both on.",
                hint="Use TLS (STARTTLS, port 587) or SSL (port 465), not both.",
                id="kartlegging.E002",
            )
        )
    if production and not settings.SITE_URL.startswith("https://"):
        problems.append(
            Warning(
                "SITE_URL does not start with https://; respondent links will travel unencrypted.",
                hint="Set SITE_URL=https://…",
                id="kartlegging.W002",
            )
        )
    if len(settings.SECRET_KEY) < 40:
        problems.append(
            Error(
                "SECRET_KEY is shorter than 40 characters.",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(50))'",
                id="kartlegging.E003",
            )
        )
    return problems
