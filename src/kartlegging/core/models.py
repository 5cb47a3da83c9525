import hashlib
from typing import Self

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _


class AppendOnly(Exception):
    """The audit trail is written once and never changed or deleted by the application."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnly("audit entries cannot be changed")

    def delete(self):
        raise AppendOnly("audit entries cannot be deleted")


class AuditEntry(models.Model):
    """Who did what in the back office: a dotted action, the actor, the changed fields.

    Append-only. It outlives its survey (named by id and slug) and its actor (named by
    username): a deleted user leaves the entries, with the link set to NULL by the database
    layer, which is the only change ever made to a row.
    """

    action = models.CharField(_("handling"), max_length=100)  # e.g. "respondent.added"
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_name = models.CharField(_("bruker"), max_length=150, blank=True)
    # The survey by id and slug, not by foreign key: this floor of the house knows no survey
    # model, and the entry outlives its survey.
    survey_pk = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    survey_slug = models.CharField(_("kartlegging"), max_length=80, blank=True)
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True, db_index=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name = _("logginnslag")
        verbose_name_plural = _("logg")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("audit entries cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit entries cannot be deleted")


def audit(action: str, actor=None, survey=None, **data) -> AuditEntry:
    known = actor if getattr(actor, "is_authenticated", False) else None
    return AuditEntry.objects.create(
        action=action,
        actor=known,
        actor_name=known.get_username() if known else "",
        survey_pk=survey.pk if survey is not None else None,
        survey_slug=survey.slug if survey is not None else "",
        data=data,
    )


class WorkerHeartbeat(models.Model):
    """A running `kartlegging worker` process; `seen_at` is renewed every few seconds.

    A task whose worker has no fresh heartbeat was abandoned (the process was killed or the
    machine lost power) and is retried or marked failed (see core/workers.py).
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("arbeiderprosess")
        verbose_name_plural = _("arbeiderprosesser")

    def __str__(self) -> str:
        return self.worker_id


class ThrottleCount(models.Model):
    """Failures per key (e.g. wrong respondent links from one address) in a time window.

    In the database because gunicorn's processes share nothing else; rows are tiny and
    forgotten when their window has passed.
    """

    key = models.CharField(max_length=64, primary_key=True)  # sha256 of scope and address
    window_start = models.DateTimeField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("sperreteller")
        verbose_name_plural = _("sperretellere")

    def __str__(self) -> str:
        return f"{self.key[:8]}… {self.count}"


class StoredVersion(models.Model):
    """One immutable version of a text the project runs on (a questionnaire, the rules file):
    its source as loaded. Loading a changed text stores the next version of its key; rows are
    never edited, so what was analysed with a version can always be analysed again."""

    key = models.CharField(_("nøkkel"), max_length=100)
    version = models.PositiveIntegerField(_("versjon"))
    title = models.CharField(_("tittel"), max_length=300)
    source = models.TextField(_("kilde (YAML)"))
    sha256 = models.CharField(max_length=64)
    loaded_at = models.DateTimeField(_("lastet inn"), auto_now_add=True)

    # Said when something tries to change a stored version (each kind its own words).
    changed_message = _("En lastet versjon kan ikke endres.")

    class Meta:
        abstract = True
        ordering = ["key", "-version"]

    def __str__(self) -> str:
        return f"{self.key} v{self.version}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise ValidationError(str(self.changed_message))
        super().save(*args, **kwargs)

    @classmethod
    def store(cls, key: str, title: str, source: str) -> tuple[Self, bool]:
        """The stored version with this source, or the next version of the key; (version,
        created). The newest row is locked so two loads cannot take the same number."""
        digest = hashlib.sha256(source.encode("utf-8")).hexdigest()
        with transaction.atomic():
            latest = cls.objects.select_for_update().filter(key=key).order_by("-version").first()
            if latest is not None and latest.sha256 == digest:
                return latest, False
            stored = cls.objects.create(
                key=key,
                version=(latest.version + 1) if latest else 1,
                title=title,
                source=source,
                sha256=digest,
            )
        return stored, True
