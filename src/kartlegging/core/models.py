from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEntry(models.Model):
    """Who changed what in the back office: a dotted action, the actor, the changed fields."""

    action = models.CharField(_("handling"), max_length=100)  # e.g. "respondent.added"
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    survey = models.ForeignKey(
        "surveys.Survey", on_delete=models.CASCADE, null=True, blank=True, related_name="audit"
    )
    data = models.JSONField(default=dict, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]
        verbose_name = _("logginnslag")
        verbose_name_plural = _("logg")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"


def audit(action: str, actor=None, survey=None, **data) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        survey=survey,
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
