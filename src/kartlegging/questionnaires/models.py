from __future__ import annotations

import hashlib
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kartlegging.questionnaires.schema import Questionnaire, parse_questionnaire


class QuestionnaireVersion(models.Model):
    """One immutable version of a questionnaire: its YAML source as loaded.

    Loading a changed file creates the next version; rows are never edited,
    so a survey always shows exactly the questions it was opened with.
    """

    key = models.CharField(_lazy("nøkkel"), max_length=100)
    version = models.PositiveIntegerField(_lazy("versjon"))
    title = models.CharField(_lazy("tittel"), max_length=300)
    source = models.TextField(_lazy("kilde (YAML)"))
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_lazy("lastet inn"), auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["key", "version"], name="questionnaire_key_version_unique"
            )
        ]
        verbose_name = _lazy("spørreskjemaversjon")
        verbose_name_plural = _lazy("spørreskjemaversjoner")

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(_("En lastet versjon av et spørreskjema kan ikke endres."))
        super().save(*args, **kwargs)

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
    digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
    with transaction.atomic():
        latest = (
            QuestionnaireVersion.objects.select_for_update()
            .filter(key=parsed.key)
            .order_by("-version")
            .first()
        )
        if latest is not None and latest.sha256 == digest:
            return latest, False
        version = QuestionnaireVersion.objects.create(
            key=parsed.key,
            version=(latest.version + 1) if latest else 1,
            title=parsed.title,
            source=source,
            sha256=digest,
        )
    return version, True


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
