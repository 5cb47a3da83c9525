"""Storage limitation (GDPR art. 5(1)(e)): respondents' personal data goes on time.

A survey keeps its respondents' names, e-mail addresses and personal links until its
deletion date (`Survey.retention_months` after closing). Then — or earlier, when the
project leader asks for one survey or one respondent — `anonymise` deletes them:

- name, e-mail address and the hand-on note are emptied on the respondent;
- every personal link (token hash) is deleted, so no link opens the answers again;
- e-mail records keep their kind and dates but lose the address and the error text
  (an SMTP error names the address); e-mail not yet sent is cancelled.

The answers stay, known only by organisation and role, so analysis and reports still
work. The audit trail names respondents by id only, never by name or address.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass

from django.contrib import messages
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from kartlegging.accounts.decorators import staff_required
from kartlegging.core.models import audit
from kartlegging.surveys.access import respondent_in, survey_for
from kartlegging.surveys.models import AccessToken, Email, Respondent, Survey


@dataclass
class Deletion:
    """What `anonymise` removes (or removed): shown before, audited after."""

    respondents: int = 0  # names and e-mail addresses
    links: int = 0
    emails: int = 0  # e-mail records that lose their address
    cancelled: int = 0  # of those, not yet sent: never sent
    notes: int = 0  # hand-on notes

    @property
    def anything(self) -> bool:
        return self.respondents > 0


def _pending(respondents: QuerySet[Respondent]) -> QuerySet[Respondent]:
    return respondents.filter(anonymised_at__isnull=True)


def what_goes(respondents: QuerySet[Respondent]) -> Deletion:
    pending = _pending(respondents)
    emails = Email.objects.filter(respondent__in=pending)
    return Deletion(
        respondents=pending.count(),
        links=AccessToken.objects.filter(respondent__in=pending).count(),
        emails=emails.count(),
        cancelled=emails.filter(sent_at__isnull=True, failed_at__isnull=True).count(),
        notes=pending.exclude(handover_message="").count(),
    )


def anonymise(
    respondents: QuerySet[Respondent], *, survey: Survey, actor=None, reason: str
) -> Deletion:
    """Delete the personal data of `respondents` (all in `survey`); answers stay."""
    now = timezone.now()
    with transaction.atomic():
        pending = _pending(respondents.select_for_update())
        ids = list(pending.values_list("pk", flat=True))
        done = what_goes(survey.respondents.filter(pk__in=ids))
        if not ids:
            return done
        Email.objects.filter(
            respondent_id__in=ids, sent_at__isnull=True, failed_at__isnull=True
        ).update(failed_at=now)
        Email.objects.filter(respondent_id__in=ids).update(
            to="", error=_("Personopplysningene er slettet.")
        )
        AccessToken.objects.filter(respondent_id__in=ids).delete()
        Respondent.objects.filter(pk__in=ids).update(
            name="", email="", handover_message="", anonymised_at=now
        )
        audit(
            "personal_data.deleted",
            actor,
            survey,
            reason=reason,
            respondents=ids if len(ids) <= 20 else len(ids),
            **{k: v for k, v in asdict(done).items() if k != "respondents"},
        )
    return done


def purge_survey(survey: Survey, *, actor=None, reason: str) -> Deletion:
    done = anonymise(survey.respondents.all(), survey=survey, actor=actor, reason=reason)
    survey.personal_data_deleted_at = timezone.now()
    survey.save(update_fields=["personal_data_deleted_at"])
    return done


def due_surveys(now: dt.datetime | None = None) -> list[Survey]:
    """Closed surveys past their deletion date that still hold personal data.

    Cheap enough for every worker round: one query over closed surveys with respondents
    not yet anonymised; the date (months after closing) is checked here.
    """
    today = timezone.localdate(now or timezone.now())
    candidates = Survey.objects.filter(
        state=Survey.State.CLOSED, respondents__anonymised_at__isnull=True
    ).distinct()
    return [s for s in candidates if s.deletion_date is not None and s.deletion_date <= today]


def purge_due(now: dt.datetime | None = None) -> dict[str, Deletion]:
    return {s.slug: purge_survey(s, reason="slettedato") for s in due_surveys(now)}


# --------------------------------------------------------------------------- pages


def anonymised_refusal(
    request: HttpRequest, survey: Survey, respondent: Respondent
) -> HttpResponse:
    """Nothing to send or change for a person whose name and address are deleted."""
    messages.error(
        request,
        _(
            "Personopplysningene til denne respondenten er slettet. Det kan ikke sendes e-post "
            "eller lages lenker, og navn og adresse kan ikke legges inn igjen."
        ),
    )
    return redirect("surveys:respondent", slug=survey.slug, pk=respondent.pk)


@staff_required
@require_http_methods(["GET", "POST"])
def survey_privacy(request: HttpRequest, slug: str) -> HttpResponse:
    """The survey's deletion date, what it holds, and «Slett nå» for a closed survey."""
    survey = survey_for(request.user, slug, manage=True)
    pending = what_goes(survey.respondents.all())
    closed = survey.state == Survey.State.CLOSED
    if request.method == "POST":
        if not closed:
            messages.error(request, _("Lukk kartleggingen før du sletter personopplysningene."))
        elif request.POST.get("bekreft") != "1":
            messages.error(request, _("Kryss av for at du forstår at slettingen ikke kan angres."))
        else:
            done = purge_survey(survey, actor=request.user, reason="prosjektleder")
            messages.success(
                request,
                _("Personopplysningene til %(n)s respondenter er slettet. Svarene er beholdt.")
                % {"n": done.respondents},
            )
            return redirect("surveys:privacy", slug=slug)
    return render(
        request,
        "surveys/privacy.html",
        {"survey": survey, "pending": pending, "closed": closed},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def respondent_delete(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """«Slett personopplysninger» for one respondent: ask first, then remove and anonymise."""
    survey = survey_for(request.user, slug, manage=True)
    respondent = respondent_in(survey, pk)
    one = survey.respondents.filter(pk=respondent.pk)
    if request.method == "POST" and not respondent.anonymised_at:
        one.filter(removed_at__isnull=True).update(removed_at=timezone.now())
        anonymise(one, survey=survey, actor=request.user, reason="prosjektleder")
        messages.success(
            request,
            _(
                "Personopplysningene er slettet. Svarene er beholdt uten navn, med organisasjon og rolle."
            ),
        )
        return redirect("surveys:respondent", slug=slug, pk=respondent.pk)
    return render(
        request,
        "surveys/respondent_delete.html",
        {"survey": survey, "respondent": respondent, "pending": what_goes(one)},
    )
