"""The fieldwork pages of the project leader: the dashboard of who has answered, reminders,
one respondent's record and answers, closing the survey.

They read the responses, so they live in the answer stage; the survey's own pages
(settings, e-mail texts, respondents' names) are surveys/views.py's. Every view gets its
survey through `surveys.access` (404 outside the survey, 403 for the project group when
it would change something); changes are POSTs that leave an audit entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kartlegging.accounts.decorators import staff_required
from kartlegging.core.models import audit
from kartlegging.core.spreadsheets import csv_bytes, xlsx_bytes
from kartlegging.responses import followup
from kartlegging.responses.models import Response
from kartlegging.responses.progress import STATUSES, sparkline, survey_progress
from kartlegging.responses.services import answered_sections
from kartlegging.surveys import handover, tasks
from kartlegging.surveys.access import membership_for, respondent_in, survey_for
from kartlegging.surveys.models import Email, Respondent, Survey, add_months
from kartlegging.surveys.privacy import anonymised_refusal


def _back(request: HttpRequest, survey: Survey, message: str) -> HttpResponse:
    """After a POST: the status fragment for htmx, a redirect with a message otherwise."""
    if request.headers.get("HX-Request"):
        return _status_fragment(request, survey, can_manage=True, notice=message)
    messages.success(request, message)
    return redirect("surveys:dashboard", slug=survey.slug)


@staff_required
@require_http_methods(["GET", "POST"])
def survey_state(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    if action == "lukk" and not (request.method == "POST" and request.POST.get("bekreft")):
        # Closing stops every respondent at once: say what happens, then ask.
        waiting = survey.respondents.filter(removed_at__isnull=True).exclude(
            response__status=Response.Status.SUBMITTED
        )
        deletion_date = add_months(timezone.localdate(), survey.retention_months)
        return render(
            request,
            "surveys/close_confirm.html",
            {"survey": survey, "waiting": waiting.count(), "deletion_date": deletion_date},
        )
    if request.method != "POST":
        return redirect("surveys:dashboard", slug=survey.slug)
    if action == "apne":
        survey.open()
        message = _("Kartleggingen er åpen for svar.")
    elif action == "lukk":
        survey.close()
        message = _("Kartleggingen er lukket. Respondentene kan ikke lenger svare.")
    else:
        raise Http404
    audit(f"survey.{'opened' if action == 'apne' else 'closed'}", request.user, survey)
    messages.success(request, message)
    return redirect("surveys:dashboard", slug=survey.slug)


def _dashboard_context(survey: Survey, can_manage: bool, **extra) -> dict:
    progress = survey_progress(survey)
    return {
        "survey": survey,
        "progress": progress,
        "statuses": STATUSES,
        "can_manage": can_manage,
        "chart": sparkline(progress.timeline, progress.respondents_total),
        # Prefixes instead of one reverse() per row: the table has thousands of rows nationally.
        "urls": {
            "respondent": reverse("surveys:dashboard", args=[survey.slug]) + "respondenter/",
            "remind": reverse("surveys:remind_all", args=[survey.slug]),
            "retry": reverse("surveys:dashboard", args=[survey.slug]) + "e-post/",
        },
        **extra,
    }


@staff_required
def dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    context = _dashboard_context(
        membership.survey,
        membership.is_leader,
        handovers=handover.handovers(membership.survey),
    )
    return render(request, "surveys/dashboard.html", context)


@staff_required
def dashboard_status(request: HttpRequest, slug: str) -> HttpResponse:
    membership = membership_for(request.user, slug)
    return _status_fragment(request, membership.survey, membership.is_leader)


def _status_fragment(
    request: HttpRequest, survey: Survey, can_manage: bool, notice: str = ""
) -> HttpResponse:
    context = _dashboard_context(survey, can_manage, notice=notice)
    return render(request, "surveys/_status.html", context)


@staff_required
@require_POST
def invite_all(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    if not survey.is_open:
        return _back(request, survey, _("Åpne kartleggingen før du sender invitasjoner."))
    emails = followup.queue_invitations(survey)
    audit("email.invitations_queued", request.user, survey, count=len(emails))
    return _back(
        request, survey, _("%(n)s invitasjoner er lagt i kø for sending.") % {"n": len(emails)}
    )


@staff_required
@require_POST
def remind(request: HttpRequest, slug: str, number: str | None = None) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    if not survey.is_open:
        return _back(request, survey, _("Kartleggingen er ikke åpen."))
    scope = None
    if number is not None:
        organisation = get_object_or_404(survey.organisations, number=number)
        scope = survey.respondents.filter(organisation=organisation)
    emails = followup.queue_reminders(survey, scope)
    audit(
        "email.reminders_queued",
        request.user,
        survey,
        count=len(emails),
        organisation=number or "alle",
    )
    if not emails:
        return _back(
            request,
            survey,
            _(
                "Ingen påminnelser sendt: alle har levert, ikke fått "
                "invitasjon ennå, eller fått e-post de siste "
                "%(days)s dagene."
            )
            % {"days": survey.reminder_interval_days},
        )
    return _back(
        request, survey, _("%(n)s påminnelser er lagt i kø for sending.") % {"n": len(emails)}
    )


@staff_required
@require_POST
def retry_email(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    email = get_object_or_404(survey.emails, pk=pk, sent_at__isnull=True)
    tasks.retry(email)
    audit("email.retried", request.user, survey, email=email.pk)
    return _back(request, survey, _("E-posten er lagt i kø på nytt."))


@staff_required
def export_respondents(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    survey = survey_for(request.user, slug)
    progress = survey_progress(survey)
    header = [
        _("Organisasjon"),
        _("Organisasjonsnummer"),
        _("Navn"),
        _("E-post"),
        _("Rolle"),
        _("Status"),
        _("Sist aktiv"),
        _("Invitasjoner"),
        _("Påminnelser"),
        _("E-postfeil"),
    ]
    rows = []
    for org in progress.organisations:
        for row in org.respondents:
            r = row.respondent
            last = timezone.localtime(row.last_activity) if row.last_activity else None
            rows.append(
                [
                    org.organisation.name,
                    org.organisation.number,
                    r.name,
                    r.email,
                    r.role,
                    row.status_label,
                    last.replace(tzinfo=None) if last else "",
                    sum(e.kind == Email.Kind.INVITATION for e in row.emails),
                    sum(e.kind == Email.Kind.REMINDER for e in row.emails),
                    len(row.failed_emails),
                ]
            )
    name = f"respondenter-{survey.slug}"
    audit("export.respondents", request.user, survey, format=fmt)
    if fmt == "csv":
        response = HttpResponse(csv_bytes(header, rows), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    if fmt == "xlsx":
        response = HttpResponse(
            xlsx_bytes({_("Respondenter"): (header, rows)}),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
        return response
    raise Http404


@staff_required
def respondent_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    membership = membership_for(request.user, slug)
    survey = membership.survey
    respondent = respondent_in(survey, pk)
    response = Response.objects.filter(respondent=respondent).first()
    audit("respondent.viewed", request.user, survey, respondent=respondent.pk)
    groups = []
    if response is not None:
        questionnaire = survey.questionnaire_for(respondent.organisation).definition
        groups = [
            {
                "section": section,
                "rows": [{"question": q, "answer": answer} for q, answer in rows],
                "editable": False,
            }
            for section, rows in answered_sections(questionnaire, response.answer_values())
        ]
    return render(
        request,
        "surveys/respondent_detail.html",
        {
            "survey": survey,
            "respondent": respondent,
            "response": response,
            "groups": groups,
            "emails": respondent.emails.all(),
            "can_manage": membership.is_leader,
            "handed_from": respondent.handed_from.all(),
            "new_link": request.session.pop(f"ny-lenke-{respondent.pk}", None),
        },
    )


@staff_required
@require_POST
def respondent_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    respondent = respondent_in(survey, pk)
    detail = reverse("surveys:respondent", kwargs={"slug": slug, "pk": respondent.pk})
    if respondent.anonymised_at:
        return anonymised_refusal(request, survey, respondent)
    if action == "fjern":
        respondent.removed_at = timezone.now()
        # The link keeps working so the person gets a polite page, not an error.
        respondent.save(update_fields=["removed_at"])
        message = _("%(name)s er fjernet. Svarene er tatt vare på.")
    elif action == "inviter":
        tasks.queue([respondent], Email.Kind.INVITATION)
        message = _("Ny invitasjon til %(name)s er lagt i kø.")
    elif action == "paminn":
        tasks.queue([respondent], Email.Kind.REMINDER)
        message = _("Påminnelse til %(name)s er lagt i kø.")
    elif action == "lenke":
        # Shown once, on the next page; only its hash is stored.
        request.session[f"ny-lenke-{respondent.pk}"] = Respondent.link_for(respondent.issue_token())
        message = _("Ny lenke til %(name)s er laget. Kopier den nå: den vises bare én gang.")
    elif action == "gjenapne":
        Response.objects.filter(respondent=respondent).update(
            status=Response.Status.STARTED, submitted_at=None
        )
        message = _("Svarene til %(name)s er åpnet igjen for endring.")
    else:
        raise Http404
    audit(f"respondent.{action}", request.user, survey, respondent=respondent.pk)
    messages.success(request, message % {"name": respondent.name})
    return redirect(detail)  # after «fjern» the page offers «Slett personopplysninger»


@staff_required
@require_http_methods(["GET", "POST"])
def handover_undo(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Undo a hand-on: ask first (GET), then remove the colleague and reactivate the giver."""
    survey = survey_for(request.user, slug, manage=True)
    found = handover.handover_to(survey, pk)
    if found is None:
        raise Http404
    if request.method == "POST":
        if not found.can_undo:
            messages.info(request, _("Dette er allerede angret."))
            return redirect("surveys:dashboard", slug=survey.slug)
        if handover.undo(found, request.user):
            message = _("Angret: %(colleague)s er fjernet, og %(giver)s er respondent igjen.")
        elif found.giver.handed_to_id:
            message = _(
                "Angret: %(colleague)s er fjernet. %(giver)s har senere gitt oppgaven til en "
                "annen kollega, og det står fortsatt."
            )
        else:
            message = _("Angret: %(colleague)s er fjernet.")
        messages.success(
            request, message % {"colleague": found.colleague.name, "giver": found.giver.name}
        )
        return redirect("surveys:dashboard", slug=survey.slug)
    response = Response.objects.filter(respondent=found.colleague).first()
    return render(
        request,
        "surveys/handover_undo.html",
        {"survey": survey, "handover": found, "colleague_response": response},
    )
