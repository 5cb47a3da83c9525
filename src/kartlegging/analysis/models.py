from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kartlegging.surveys.models import Survey


class FactChoice(models.Model):
    """The project leader's choice of the valid answer where one organisation's people disagree.

    An input of the analysis (analysis/facts.py), read by recommendations and reports alike.
    """

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="fact_choices")
    organisation = models.CharField(max_length=20)  # organisation number
    question = models.CharField(max_length=200)  # question key
    value = models.JSONField()
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation", "question"], name="fact_choice_unique"
            )
        ]
        verbose_name = _("valgt faktasvar")
        verbose_name_plural = _("valgte faktasvar")

    def __str__(self) -> str:
        return f"{self.organisation} {self.question}"

    @classmethod
    def choices_for(cls, survey: Survey) -> dict[tuple[str, str], object]:
        return {(c.organisation, c.question): c.value for c in survey.fact_choices.all()}
