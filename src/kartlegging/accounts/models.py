from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class StaffSession(models.Model):
    """One signed-in browser of a staff user, for «Dine innlogginger» and «Logg ut andre steder».

    Django's session rows know no user; this row ties a session key to its user. It is
    written by accounts/sessions.py at most once a minute per session, and rows whose session
    has ended are dropped when the list is shown.
    """

    session_key = models.CharField(max_length=40, primary_key=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff_sessions"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_seen_at = models.DateTimeField()
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-last_seen_at"]
        verbose_name = _("innlogging")
        verbose_name_plural = _("innlogginger")

    def __str__(self) -> str:
        return f"{self.user} {self.last_seen_at:%Y-%m-%d %H:%M}"
