"""Import respondents to a survey from CSV: all rows valid, or nothing is created.

No links are made and no e-mail is sent here; that happens when invitations are sent.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from kartlegging.core.csvfiles import ImportProblems, read_rows
from kartlegging.core.models import audit
from kartlegging.organisations.models import Organisation
from kartlegging.surveys.models import Respondent, Survey

REQUIRED = ["navn", "epost", "rolle", "organisasjon"]
ALIASES = {
    "e-post": "epost",
    "email": "epost",
    "e-mail": "epost",
    "name": "navn",
    "role": "rolle",
    "organisation": "organisasjon",
}
NAME_MAX = Respondent._meta.get_field("name").max_length
ROLE_MAX = Respondent._meta.get_field("role").max_length
EMAIL_MAX = Respondent._meta.get_field("email").max_length


class RespondentImportError(ImportProblems):
    """A row of the respondent file is wrong."""


def import_respondents(survey: Survey, data: bytes, actor=None) -> int:
    """Create the respondents in the file and return how many; raise if any row is wrong."""
    rows = read_rows(data, REQUIRED, ALIASES)
    find_organisation = _organisation_finder(survey)
    existing = {email.lower() for email in survey.respondents.values_list("email", flat=True)}
    problems: list[str] = []
    parsed: list[Respondent] = []
    seen: dict[str, int] = {}
    for line, row in rows:
        where = _("Rad %(line)s") % {"line": line}
        row_problems: list[str] = []
        name, role = row.get("navn", ""), row.get("rolle", "")
        raw_email, org_value = row.get("epost", ""), row.get("organisasjon", "")
        if not name:
            row_problems.append(_("mangler navn"))
        elif len(name) > NAME_MAX:
            row_problems.append(_("navnet er lengre enn %(max)s tegn") % {"max": NAME_MAX})
        if len(role) > ROLE_MAX:
            row_problems.append(_("rollen er lengre enn %(max)s tegn") % {"max": ROLE_MAX})
        email = raw_email.lower()
        if not email:
            row_problems.append(_("mangler e-postadresse"))
        elif not _valid_email(email):
            row_problems.append(
                _("«%(email)s» er ikke en gyldig e-postadresse") % {"email": raw_email}
            )
        elif email in seen:
            row_problems.append(
                _("%(email)s står også på rad %(other)s") % {"email": email, "other": seen[email]}
            )
        elif email in existing:
            row_problems.append(
                _("%(email)s er allerede respondent i kartleggingen") % {"email": email}
            )
        if email:
            seen.setdefault(email, line)
        organisation, org_problem = find_organisation(org_value)
        if org_problem:
            row_problems.append(org_problem)
        problems.extend(f"{where}: {problem}" for problem in row_problems)
        if not row_problems:
            parsed.append(
                Respondent(
                    survey=survey, organisation=organisation, name=name, email=email, role=role
                )
            )
    if not rows:
        problems.append(_("Filen har ingen rader med respondenter."))
    if problems:
        raise RespondentImportError(problems)
    with transaction.atomic():
        for respondent in parsed:
            respondent.save()
        audit("respondent.imported", actor=actor, survey=survey, count=len(parsed))
    return len(parsed)


def _valid_email(email: str) -> bool:
    if len(email) > EMAIL_MAX:
        return False
    try:
        validate_email(email)
    except ValidationError:
        return False
    return True


def _organisation_finder(survey: Survey):
    """Match an organisation by number or exact name (case-insensitive) within the survey."""
    by_number: dict[str, Organisation] = {}
    by_name: dict[str, list[Organisation]] = {}
    for organisation in survey.organisations.all():
        by_number[organisation.number.casefold()] = organisation
        by_name.setdefault(organisation.name.casefold(), []).append(organisation)

    def find(value: str) -> tuple[Organisation | None, str | None]:
        if not value:
            return None, _("mangler organisasjon")
        key = value.casefold()
        if key in by_number:
            return by_number[key], None
        matches = by_name.get(key, [])
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return None, _(
                "flere organisasjoner i kartleggingen heter «%(org)s» (bruk organisasjonsnummer)"
            ) % {"org": value}
        return None, _(
            "ukjent organisasjon «%(org)s» (bruk organisasjonsnummer eller navn fra kartleggingen)"
        ) % {"org": value}

    return find
