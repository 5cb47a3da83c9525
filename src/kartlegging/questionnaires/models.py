from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _lazy

from kartlegging.core.models import StoredVersion
from kartlegging.questionnaires.schema import Questionnaire, parse_questionnaire


class QuestionnaireVersion(StoredVersion):
    """One immutable version of a questionnaire: its YAML source as loaded.

    Loading a changed file creates the next version; rows are never edited,
    so a survey always shows exactly the questions it was opened with.
    """

    changed_message = _lazy("En lastet versjon av et spørreskjema kan ikke endres.")

    class Meta(StoredVersion.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"], name="questionnaire_key_version_unique"
            )
        ]
        verbose_name = _lazy("spørreskjemaversjon")
        verbose_name_plural = _lazy("spørreskjemaversjoner")

    @property
    def definition(self) -> Questionnaire:
        return _parsed(self.sha256, self.source)


@lru_cache(maxsize=32)
def _parsed(sha256: str, source: str) -> Questionnaire:
    return parse_questionnaire(source)


def load_questionnaire(source: str) -> tuple[QuestionnaireVersion, bool]:
    """Validate and store a questionnaire; return (version, created).

    Identical content returns the existing version instead of a new one.
    Raises QuestionnaireError listing every problem.
    """
    parsed = parse_questionnaire(source)
    return QuestionnaireVersion.store(parsed.key, parsed.title, source)


class QuestionnaireDraft(models.Model):
    """A questionnaire being edited in the browser or uploaded, not yet a version.

    Its source is always a valid questionnaire: every change is checked by the loader
    before it is stored. «Ta i bruk» loads it as the next version of its key
    (`load_questionnaire`) and removes the draft.
    """

    key = models.CharField(_lazy("nøkkel"), max_length=100)
    title = models.CharField(_lazy("tittel"), max_length=300)
    source = models.TextField(_lazy("kilde (YAML)"))
    based_on = models.ForeignKey(
        QuestionnaireVersion,
        verbose_name=_lazy("bygger på"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="drafts",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_lazy("laget av"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_lazy("laget"), auto_now_add=True)
    updated_at = models.DateTimeField(_lazy("sist endret"), auto_now=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _lazy("utkast til spørreskjema")
        verbose_name_plural = _lazy("utkast til spørreskjemaer")

    def __str__(self) -> str:
        return self.title

    @property
    def definition(self) -> Questionnaire:
        return parse_questionnaire(self.source)
