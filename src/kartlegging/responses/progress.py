"""Fieldwork progress for the coordinator's dashboard: who has answered, per organisation.

A fixed number of queries whatever the survey's size (organisations, respondents
with their responses, e-mails), then plain Python: the dashboard for all 357
municipalities must stay fast.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kartlegging.organisations.models import Organisation
from kartlegging.responses.models import Response
from kartlegging.surveys.models import Email, Respondent, Survey

# In order of progress; an organisation shows the furthest state of its respondents.
STATUSES = {
    "ikke_invitert": _("Ikke invitert"),
    "invitert": _("Invitert"),
    "apnet": _("Åpnet"),
    "pabegynt": _("Påbegynt"),
    "levert": _("Levert"),
}
ORDER = list(STATUSES)


@dataclass
class RespondentProgress:
    respondent: Respondent
    status: str
    last_activity: dt.datetime | None
    emails: list[Email] = field(default_factory=list)

    @property
    def status_label(self) -> str:
        if self.respondent.handed_to_id:
            return str(
                _("Overlatt til %(name)s") % {"name": self.respondent.handed_to.display_name}
            )
        return str(STATUSES[self.status])

    @property
    def failed_emails(self) -> list[Email]:
        return [e for e in self.emails if e.failed_at and not e.sent_at]

    @property
    def handed_on(self) -> bool:
        return bool(self.respondent.handed_to_id)


@dataclass
class OrganisationProgress:
    organisation: Organisation
    respondents: list[RespondentProgress]

    @property
    def active(self) -> list[RespondentProgress]:
        return [r for r in self.respondents if not r.handed_on]

    @property
    def status(self) -> str:
        states = [ORDER.index(r.status) for r in self.active]
        return ORDER[max(states)] if states else "ikke_invitert"

    @property
    def status_label(self) -> str:
        return str(STATUSES[self.status])

    @property
    def submitted(self) -> int:
        return sum(r.status == "levert" for r in self.active)

    @property
    def total(self) -> int:
        return len(self.active)

    @property
    def has_submission(self) -> bool:
        return self.submitted > 0

    @property
    def last_activity(self) -> dt.datetime | None:
        times = [r.last_activity for r in self.respondents if r.last_activity]
        return max(times) if times else None

    @property
    def failed_emails(self) -> int:
        return sum(len(r.failed_emails) for r in self.respondents)


@dataclass
class Progress:
    survey: Survey
    organisations: list[OrganisationProgress]
    today: dt.date
    timeline: list[tuple[dt.date, int]]

    @property
    def respondents(self) -> list[RespondentProgress]:
        return [r for o in self.organisations for r in o.active]

    @property
    def respondents_submitted(self) -> int:
        return sum(o.submitted for o in self.organisations)

    @property
    def respondents_total(self) -> int:
        return sum(o.total for o in self.organisations)

    @property
    def organisations_submitted(self) -> int:
        return sum(o.has_submission for o in self.organisations)

    @property
    def respondent_rate(self) -> int:
        return _percent(self.respondents_submitted, self.respondents_total)

    @property
    def organisation_rate(self) -> int:
        return _percent(self.organisations_submitted, len(self.organisations))

    @property
    def days_left(self) -> int | None:
        return (self.survey.deadline - self.today).days if self.survey.deadline else None

    @property
    def failed_emails(self) -> int:
        return sum(o.failed_emails for o in self.organisations)

    @property
    def not_invited(self) -> int:
        return sum(r.status == "ikke_invitert" for r in self.respondents)


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def survey_progress(survey: Survey, now: dt.datetime | None = None) -> Progress:
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    respondents = list(
        survey.respondents.filter(removed_at__isnull=True).select_related(
            "organisation", "handed_to", "response"
        )
    )
    emails: dict[int, list[Email]] = defaultdict(list)
    for email in Email.objects.filter(survey=survey).only(
        "id", "respondent_id", "kind", "queued_at", "sent_at", "failed_at", "error", "attempts"
    ):
        emails[email.respondent_id].append(email)
    by_org: dict[int, list[RespondentProgress]] = defaultdict(list)
    submitted_dates: list[dt.date] = []
    for respondent in respondents:
        own = emails.get(respondent.pk, [])
        response = getattr(respondent, "response", None)
        status, last = _status(own, response)
        by_org[respondent.organisation_id].append(RespondentProgress(respondent, status, last, own))
        if response is not None and response.submitted_at:
            submitted_dates.append(timezone.localtime(response.submitted_at).date())
    organisations = [
        OrganisationProgress(org, by_org.get(org.pk, []))
        for org in survey.organisations.order_by("kind", "name")
    ]
    start = timezone.localtime(survey.opened_at).date() if survey.opened_at else today
    return Progress(survey, organisations, today, _timeline(submitted_dates, start, today))


def _status(emails: list[Email], response: Response | None) -> tuple[str, dt.datetime | None]:
    # Activity is what the respondent did (opened, saved, submitted), not e-mail we sent.
    if response is not None:
        times = [t for t in (response.opened_at, response.updated_at, response.submitted_at) if t]
        return response.status, max(times)
    invited = any(e.kind == Email.Kind.INVITATION and not e.failed_at for e in emails)
    return ("invitert" if invited else "ikke_invitert"), None


def _timeline(dates: list[dt.date], start: dt.date, today: dt.date) -> list[tuple[dt.date, int]]:
    """Cumulative submitted responses per day from opening until today (or the last answer)."""
    if dates:
        start = min(start, min(dates))
    end = max([today, *dates])
    counts: dict[dt.date, int] = defaultdict(int)
    for day in dates:
        counts[day] += 1
    series, total, day = [], 0, start
    while day <= end:
        total += counts.get(day, 0)
        series.append((day, total))
        day += dt.timedelta(days=1)
    return series


def sparkline(
    timeline: list[tuple[dt.date, int]], total: int, width: int = 320, height: int = 80
) -> dict:
    """Points for a small SVG line chart of submissions over time (drawn in the template)."""
    top = max(total, timeline[-1][1] if timeline else 0, 1)
    steps = max(len(timeline) - 1, 1)
    points = " ".join(
        f"{round(i * width / steps, 1)},{round(height - count * height / top, 1)}"
        for i, (_day, count) in enumerate(timeline)
    )
    return {"points": points, "width": width, "height": height, "top": top}
