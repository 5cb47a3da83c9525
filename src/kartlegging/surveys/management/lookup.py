"""The survey a command names, or a Norwegian error that says what to do."""

from django.core.management.base import CommandError

from kartlegging.surveys.models import Survey


def survey_or_error(slug: str, *, must_be_open: bool = False) -> Survey:
    survey = Survey.objects.filter(slug=slug).first()
    if survey is None:
        raise CommandError(f"Fant ingen kartlegging med kortnavnet «{slug}».")
    if must_be_open and not survey.is_open:
        raise CommandError(f"«{survey.title}» er ikke åpen. Åpne den først (open-survey).")
    return survey
