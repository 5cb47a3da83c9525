from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kartlegging.surveys.models import Survey


class ReportFile(models.Model):
    """A report built in the background and kept for download by the survey's users."""

    class Status(models.TextChoices):
        QUEUED = "i_ko", _("I kø")
        RUNNING = "lager", _("Lages")
        DONE = "ferdig", _("Ferdig")
        FAILED = "feilet", _("Feilet")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="report_files")
    format = models.CharField(max_length=10)  # html, pdf, docx
    anonymise = models.BooleanField(default=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    content = models.BinaryField(null=True, blank=True, editable=False)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    requested_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("rapportfil")
        verbose_name_plural = _("rapportfiler")

    def __str__(self) -> str:
        return f"{self.survey} ({self.format})"

    @property
    def filename(self) -> str:
        suffix = "-anonymisert" if self.anonymise else ""
        stamp = timezone.localtime(self.requested_at).strftime("%Y%m%d-%H%M")
        return f"rapport-{self.survey.slug}{suffix}-{stamp}.{self.format}"
