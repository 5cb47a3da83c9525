from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kartlegging.organisations.models import Organisation
from kartlegging.organisations.sizes import DEFAULT_BOUNDARIES
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.surveys.tokens import hash_token, new_token


class Survey(models.Model):
    """One run of a questionnaire version for a set of organisations."""

    class State(models.TextChoices):
        DRAFT = "utkast", _("Utkast")
        OPEN = "apen", _("Åpen")
        CLOSED = "lukket", _("Lukket")

    slug = models.SlugField(_("kortnavn"), max_length=80, unique=True)
    title = models.CharField(_("tittel"), max_length=300)
    questionnaire = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        related_name="surveys",
        verbose_name=_("spørreskjema"),
    )
    # Hospitals (helseforetak) answer their own short variant when one is set.
    hospital_questionnaire = models.ForeignKey(
        QuestionnaireVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="hospital_surveys",
        verbose_name=_("spørreskjema for helseforetak"),
    )
    organisations = models.ManyToManyField(
        Organisation, related_name="surveys", verbose_name=_("organisasjoner")
    )
    deadline = models.DateField(_("svarfrist"), null=True, blank=True)
    size_lower = models.PositiveIntegerField(
        _("grense liten/mellomstor"), default=DEFAULT_BOUNDARIES[0]
    )
    size_upper = models.PositiveIntegerField(
        _("grense mellomstor/stor"), default=DEFAULT_BOUNDARIES[1]
    )
    owner_name = models.CharField(
        _("avsender"),
        max_length=200,
        blank=True,
        help_text=_("Hvem som spør, slik respondentene ser det."),
    )
    contact_email = models.EmailField(_("kontaktadresse"), blank=True)
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kartlegging")
        verbose_name_plural = _("kartlegginger")

    def __str__(self) -> str:
        return self.title

    @property
    def boundaries(self) -> tuple[int, int]:
        return (self.size_lower, self.size_upper)

    def questionnaire_for(self, organisation: Organisation) -> QuestionnaireVersion:
        if organisation.kind == Organisation.Kind.HELSEFORETAK and self.hospital_questionnaire:
            return self.hospital_questionnaire
        return self.questionnaire

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    def open(self) -> None:
        self.state = self.State.OPEN
        self.opened_at = self.opened_at or timezone.now()
        self.save(update_fields=["state", "opened_at"])

    def close(self) -> None:
        self.state = self.State.CLOSED
        self.closed_at = timezone.now()
        self.save(update_fields=["state", "closed_at"])


class RespondentQuerySet(models.QuerySet):
    def for_token(self, token: str) -> Respondent:
        """The one scoped lookup for respondent pages: by the hash of a live token."""
        return self.select_related(
            "survey__questionnaire", "survey__hospital_questionnaire", "organisation"
        ).get(tokens__token_hash=hash_token(token), tokens__revoked_at__isnull=True)


class Respondent(models.Model):
    """A person asked to answer: name, role, work e-mail and organisation only."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="respondents")
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="respondents",
        verbose_name=_("organisasjon"),
    )
    name = models.CharField(_("navn"), max_length=200)
    email = models.EmailField(_("e-post (jobb)"))
    role = models.CharField(_("rolle"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RespondentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"], name="respondent_email_unique_in_survey"
            )
        ]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondenter")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})"

    def issue_token(self) -> str:
        """Create a new personal link and return its token (only its hash is kept).

        Every e-mail carries a fresh token; earlier links keep working, so an old
        invitation still opens the same answers. `revoke_links` ends them all.
        """
        token = new_token()
        self.tokens.create(token_hash=hash_token(token))
        return token

    def revoke_links(self) -> None:
        self.tokens.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())

    @staticmethod
    def link_for(token: str) -> str:
        return f"{settings.SITE_URL}/s/{token}/"


class AccessToken(models.Model):
    """The SHA-256 of one personal link; the token itself is never stored."""

    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lenke")
        verbose_name_plural = _("lenker")

    def __str__(self) -> str:
        return f"{self.respondent} ({self.created_at:%Y-%m-%d})"
