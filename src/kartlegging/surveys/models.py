from __future__ import annotations

import calendar
import datetime as dt

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kartlegging.core.text import is_digits
from kartlegging.organisations.models import Organisation
from kartlegging.organisations.sizes import DEFAULT_BOUNDARIES
from kartlegging.questionnaires.models import QuestionnaireVersion
from kartlegging.surveys.tokens import hash_token, new_token

DEFAULT_INVITATION_TEXT = (
    "Vi kartlegger hvordan kommunene organiserer lindrende behandling og omsorg, slik at "
    "flere kan få mer tid hjemme og, om de ønsker det, dø hjemme. Du er valgt ut fordi du "
    "kjenner tjenestene godt. Svarene brukes i en rapport med anbefalinger til kommunene."
)
DEFAULT_REMINDER_TEXT = (
    "Vi har ikke fått svaret ditt ennå. Hvert svar er viktig for at kartleggingen skal gi "
    "et riktig bilde av tjenestene i kommunen din. Har du begynt, kan du fortsette der du slapp."
)


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
    # Hand-on only to work addresses (surveys/handover.py); empty = the respondents' domains.
    handover_domains = models.TextField(
        _("tillatte e-postdomener når oppgaven gis videre"),
        blank=True,
        help_text=_(
            "Respondentene kan bare gi oppgaven videre til adresser på disse domenene, "
            "f.eks. horten.kommune.no (underdomener teller med). Skill dem med komma eller "
            "linjeskift. Står feltet tomt, gjelder domenene til respondentene i kartleggingen."
        ),
    )
    state = models.CharField(_("status"), max_length=10, choices=State.choices, default=State.DRAFT)
    invitation_text = models.TextField(
        _("tekst i invitasjonen"),
        blank=True,
        default=DEFAULT_INVITATION_TEXT,
        help_text=_("Vises over lenken i e-posten. Lenken og svarfristen legges til automatisk."),
    )
    reminder_text = models.TextField(
        _("tekst i påminnelsen"), blank=True, default=DEFAULT_REMINDER_TEXT
    )
    reminder_interval_days = models.PositiveSmallIntegerField(
        _("minst antall dager mellom påminnelser"), default=5
    )
    reminder_schedule = models.CharField(
        _("automatiske påminnelser (dager før fristen)"),
        max_length=50,
        blank=True,
        help_text=_("F.eks. «7,3» sender påminnelse 7 og 3 dager før fristen. Tomt = ingen."),
    )
    # GDPR storage limitation: respondents' names and addresses go this long after closing.
    retention_months = models.PositiveSmallIntegerField(
        _("slett personopplysninger etter (måneder)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Antall måneder etter at kartleggingen er lukket. Da slettes navn, e-postadresser "
            "og lenker til respondentene; svarene blir stående uten navn, med organisasjon og "
            "rolle."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    personal_data_deleted_at = models.DateTimeField(
        _("personopplysninger slettet"), null=True, blank=True
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("kartlegging")
        verbose_name_plural = _("kartlegginger")

    def __str__(self) -> str:
        return self.title

    @property
    def boundaries(self) -> tuple[int, int]:
        return (self.size_lower, self.size_upper)

    def scheduled_reminder_days(self) -> list[int]:
        parts = self.reminder_schedule.replace(" ", "").split(",")
        return sorted({int(p) for p in parts if is_digits(p, max_length=4)}, reverse=True)

    def questionnaire_versions(self) -> list[QuestionnaireVersion]:
        """The questionnaires this survey uses: the main one, then the hospitals' if set."""
        versions = [self.questionnaire]
        if self.hospital_questionnaire_id:
            versions.append(self.hospital_questionnaire)
        return versions

    def questionnaire_for(self, organisation: Organisation) -> QuestionnaireVersion:
        if organisation.kind == Organisation.Kind.HELSEFORETAK and self.hospital_questionnaire:
            return self.hospital_questionnaire
        return self.questionnaire

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def deletion_date(self) -> dt.date | None:
        """When respondents' personal data goes: `retention_months` after closing.

        Before the survey is closed, the date it would be if it closed at the deadline.
        """
        if self.state == self.State.CLOSED and self.closed_at:
            start = timezone.localtime(self.closed_at).date()
        elif self.deadline:
            start = self.deadline
        else:
            return None
        return add_months(start, self.retention_months)

    def open(self) -> None:
        self.state = self.State.OPEN
        self.opened_at = self.opened_at or timezone.now()
        self.save(update_fields=["state", "opened_at"])

    def close(self) -> None:
        self.state = self.State.CLOSED
        self.closed_at = timezone.now()
        self.save(update_fields=["state", "closed_at"])


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day (31 January + 1 = 28/29 February)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


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
    # Handing on: the colleague who took over; this respondent is then not reminded.
    handed_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handed_from",
        verbose_name=_("overlatt til"),
    )
    handed_at = models.DateTimeField(null=True, blank=True)
    handover_message = models.TextField(blank=True)
    # Removed respondents keep their answers (nothing is lost) but get no e-mail and no access.
    removed_at = models.DateTimeField(null=True, blank=True)
    # Name, e-mail address, links and hand-on note deleted (surveys/privacy.py); the answers
    # stay, known only by organisation and role.
    anonymised_at = models.DateTimeField(_("personopplysninger slettet"), null=True, blank=True)

    objects = RespondentQuerySet.as_manager()

    class Meta:
        ordering = ["organisation__number", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"],
                condition=~models.Q(email=""),
                name="respondent_email_unique_in_survey",
            )
        ]
        verbose_name = _("respondent")
        verbose_name_plural = _("respondenter")

    def __str__(self) -> str:
        return f"{self.display_name} ({self.organisation})"

    @property
    def display_name(self) -> str:
        return self.name or gettext("Slettet respondent %(number)s") % {"number": self.pk}

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


class Membership(models.Model):
    """A staff user's role in one survey."""

    class Role(models.TextChoices):
        LEADER = "prosjektleder", _("Prosjektleder")
        GROUP = "prosjektgruppe", _("Prosjektgruppe")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("rolle"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "user"], name="membership_unique")]
        verbose_name = _("medlemskap")
        verbose_name_plural = _("medlemskap")

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} i {self.survey}"

    @property
    def is_leader(self) -> bool:
        return self.role == self.Role.LEADER


class Email(models.Model):
    """One e-mail to one respondent: queued, then sent or failed (with the error)."""

    class Kind(models.TextChoices):
        INVITATION = "invitasjon", _("Invitasjon")
        REMINDER = "paminnelse", _("Påminnelse")
        RECEIPT = "kvittering", _("Kvittering")

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="emails")
    respondent = models.ForeignKey(Respondent, on_delete=models.CASCADE, related_name="emails")
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    to = models.EmailField(_("til"))
    subject = models.CharField(_("emne"), max_length=300, blank=True)
    queued_at = models.DateTimeField(_("lagt i kø"), default=timezone.now)
    sent_at = models.DateTimeField(_("sendt"), null=True, blank=True)
    failed_at = models.DateTimeField(_("feilet"), null=True, blank=True)
    error = models.TextField(_("feilmelding"), blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-queued_at"]
        indexes = [models.Index(fields=["survey", "respondent", "kind"])]
        verbose_name = _("e-post")
        verbose_name_plural = _("e-poster")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} til {self.respondent}"

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sendt"
        if self.failed_at:
            return "feilet"
        return "i_ko"
