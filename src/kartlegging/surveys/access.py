"""The one scoped lookup for staff pages: a survey through the user's membership.

Never fetch a survey (or anything in it) by id and check afterwards: a user who
is not a member gets 404, as if the survey did not exist; a project-group
member who tries to change something gets 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from kartlegging.surveys.models import Membership, Respondent, Survey


def membership_for(user, slug: str, *, manage: bool = False) -> Membership:
    if not getattr(user, "is_authenticated", False):
        raise Http404
    membership = (
        Membership.objects.select_related("survey__questionnaire")
        .filter(survey__slug=slug, user=user)
        .first()
    )
    if membership is None:
        raise Http404
    if manage and not membership.is_leader:
        raise PermissionDenied
    return membership


def survey_for(user, slug: str, *, manage: bool = False) -> Survey:
    return membership_for(user, slug, manage=manage).survey


def respondent_in(survey: Survey, pk: int | str) -> Respondent:
    try:
        return survey.respondents.select_related("organisation").get(pk=int(pk))
    except (Respondent.DoesNotExist, ValueError):
        raise Http404 from None


def surveys_of(user):
    return Survey.objects.filter(memberships__user=user).select_related("questionnaire")
