from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kartlegging.core.models import StoredVersion
from kartlegging.surveys.models import Survey


class FindingDecision(models.Model):
    """The project leader's decision on one rule's finding for one organisation.

    Accepted findings go into the report as the rule wrote them, edited ones with
    the leader's wording, dismissed ones not at all (the reason stays here).
    """

    class Action(models.TextChoices):
        ACCEPTED = "godtatt", _("Godtatt")
        EDITED = "endret", _("Endret")
        DISMISSED = "avvist", _("Avvist")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="finding_decisions")
    organisation = models.CharField(max_length=20)  # organisation number
    rule = models.CharField(max_length=20)  # rule id, e.g. ORG-01
    action = models.CharField(max_length=10, choices=Action.choices)
    finding = models.TextField(blank=True)  # the leader's wording when edited
    recommendation = models.TextField(blank=True)
    reason = models.TextField(blank=True)  # why dismissed
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "organisation", "rule"], name="finding_decision_unique"
            )
        ]
        verbose_name = _("vurdering av funn")
        verbose_name_plural = _("vurderinger av funn")

    def __str__(self) -> str:
        return f"{self.organisation} {self.rule}: {self.action}"


class RuleParameter(models.Model):
    """A survey's own value for a rule's local threshold (the rules file has the default)."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="rule_parameters")
    rule = models.CharField(max_length=20)
    name = models.CharField(max_length=100)
    value = models.FloatField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "rule", "name"], name="rule_parameter_unique")
        ]
        verbose_name = _("terskel")
        verbose_name_plural = _("terskler")

    def __str__(self) -> str:
        return f"{self.rule}.{self.name} = {self.value}"


class RuleSetVersion(StoredVersion):
    """One immutable version of the rules file as it was loaded.

    A change to rules/*.yaml changes findings, so a survey keeps the version it was
    analysed with (SurveyRules) until the project leader moves it to a newer one.
    """

    changed_message = _("En lastet regelversjon kan ikke endres.")

    class Meta(StoredVersion.Meta):
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="rule_set_key_version_unique")
        ]
        verbose_name = _("regelversjon")
        verbose_name_plural = _("regelversjoner")


class SurveyRules(models.Model):
    """The rules version a survey is analysed with (chosen at its first analysis)."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="rules_choice")
    version = models.ForeignKey(RuleSetVersion, on_delete=models.PROTECT, related_name="surveys")
    chosen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    chosen_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("regelversjon for kartlegging")
        verbose_name_plural = _("regelversjoner for kartlegginger")

    def __str__(self) -> str:
        return f"{self.survey}: {self.version}"
