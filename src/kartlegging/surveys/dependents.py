"""The surveys that use a questionnaire's questions, for the editor
(questionnaires/dependents.py); a draft survey moves to a newer version in its settings."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from kartlegging.questionnaires.dependents import Dependent
from kartlegging.surveys.models import Survey


def surveys_using(key: str, questions: frozenset[str], user) -> Iterator[Dependent]:
    """The user's surveys whose version of this questionnaire has one of the questions."""
    if not getattr(user, "is_authenticated", False):
        return
    surveys = (
        Survey.objects.filter(memberships__user=user)
        .filter(Q(questionnaire__key=key) | Q(hospital_questionnaire__key=key))
        .select_related("questionnaire", "hospital_questionnaire")
        .order_by("title")
    )
    for survey in surveys:
        version = next(v for v in survey.questionnaire_versions() if v.key == key)
        if not any(version.definition.has_question(q) for q in questions):
            continue
        if survey.state == Survey.State.DRAFT:
            detail = _(
                "utkast med versjon %(n)s; flytt den til den nye versjonen når den er tatt i bruk"
            ) % {"n": version.version}
        else:
            detail = _("%(state)s, beholder versjon %(n)s uendret") % {
                "state": survey.get_state_display().lower(),
                "n": version.version,
            }
        yield Dependent(
            kind=_("Kartlegging"),
            name=survey.title,
            detail=detail,
            url=reverse(
                "surveys:settings" if survey.state == Survey.State.DRAFT else "surveys:dashboard",
                kwargs={"slug": survey.slug},
            ),
        )
