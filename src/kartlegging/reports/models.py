from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kartlegging.surveys.models import Survey

FACTSHEETS = "faktaark"
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    FACTSHEETS: "application/zip",
}


class ReportFile(models.Model):
    """A report built in the background and kept for download by the survey's users."""

    class Status(models.TextChoices):
        QUEUED = "i_ko", _("I kø")
        RUNNING = "lager", _("Lages")
        DONE = "ferdig", _("Ferdig")
        FAILED = "feilet", _("Feilet")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="report_files")
    format = models.CharField(max_length=10)  # html, pdf, docx; faktaark: every fact sheet, ZIP
    # A municipality's number: its fact sheet (format pdf or docx) instead of the report
    organisation = models.CharField(max_length=20, blank=True)
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
    def label(self) -> str:
        """What the file is, for the list of files: «PDF», «Faktaark 3903 (PDF)»."""
        if self.format == FACTSHEETS:
            return _("Faktaark for alle kommunene (ZIP)")
        if self.organisation:
            return _("Faktaark %(number)s (%(format)s)") % {
                "number": self.organisation,
                "format": self.format.upper(),
            }
        return self.format.upper()

    @property
    def content_type(self) -> str:
        return CONTENT_TYPES[self.format]

    @property
    def filename(self) -> str:
        suffix = "-anonymisert" if self.anonymise else ""
        stamp = timezone.localtime(self.requested_at).strftime("%Y%m%d-%H%M")
        if self.format == FACTSHEETS:
            return f"faktaark-{self.survey.slug}{suffix}-{stamp}.zip"
        kind = f"faktaark-{self.organisation}" if self.organisation else "rapport"
        return f"{kind}-{self.survey.slug}{suffix}-{stamp}.{self.format}"


class ReportSettings(models.Model):
    """The leader's own parts of the report, used by every format: the summary text (empty:
    the summary drafted from the data) and the logo on the cover."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="report_settings")
    summary = models.TextField(blank=True)
    logo = models.BinaryField(null=True, blank=True, editable=False)  # PNG, re-encoded
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rapportinnstillinger")
        verbose_name_plural = _("rapportinnstillinger")

    def __str__(self) -> str:
        return f"{self.survey}"
