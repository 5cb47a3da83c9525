from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from kartlegging.surveys.models import Respondent


class Response(models.Model):
    """A respondent's answers to their survey; created when the link is first opened."""

    class Status(models.TextChoices):
        OPENED = "apnet", _("Åpnet")
        STARTED = "pabegynt", _("Påbegynt")
        SUBMITTED = "levert", _("Levert")

    respondent = models.OneToOneField(Respondent, on_delete=models.CASCADE, related_name="response")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPENED)
    opened_at = models.DateTimeField(_("åpnet"), auto_now_add=True)
    updated_at = models.DateTimeField(_("sist endret"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("levert"), null=True, blank=True)

    class Meta:
        verbose_name = _("besvarelse")
        verbose_name_plural = _("besvarelser")

    def __str__(self) -> str:
        return f"{self.respondent} – {self.get_status_display()}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    def answer_values(self) -> dict:
        """Stored answers by question key (unanswered ones left out)."""
        return {a.question_key: a.value for a in self.answers.all() if a.value is not None}


class Answer(models.Model):
    """One answer, keyed by the question's stable key (not a database id).

    `version` grows with every change, so a save made from an outdated page
    (another tab, another device) is detected instead of silently overwriting.
    """

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question_key = models.CharField(max_length=200)
    value = models.JSONField(null=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question_key"], name="answer_unique_per_question"
            )
        ]
        verbose_name = _("svar")
        verbose_name_plural = _("svar")

    def __str__(self) -> str:
        return self.question_key
