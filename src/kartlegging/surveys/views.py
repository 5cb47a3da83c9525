"""The project leader's pages: surveys, the fieldwork dashboard, respondents, e-mail.

Every view gets its survey through `access.survey_for` (404 outside the survey;
403 for a project-group member who tries to change something). Changes are
POSTs that leave an audit entry; slow work (e-mail) goes to the task queue.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kartlegging.accounts.decorators import staff_required
from kartlegging.core.csvfiles import ImportProblems
from kartlegging.core.models import audit
from kartlegging.core.spreadsheets import csv_bytes, xlsx_bytes
from kartlegging.responses.models import Response
from kartlegging.responses.services import answered_sections
from kartlegging.surveys import handover, mail
from kartlegging.surveys.access import membership_for, respondent_in, survey_for, surveys_of
from kartlegging.surveys.forms import EmailTextsForm, ImportForm, RespondentForm, SurveyForm
from kartlegging.surveys.importing import import_respondents
from kartlegging.surveys.models import Email, Membership, Respondent, Survey, add_months
from kartlegging.surveys.progress import STATUSES, sparkline, survey_progress


def _back(request: HttpRequest, survey: Survey, message: str) -> HttpResponse:
    """After a POST: the status fragment for htmx, a redirect with a message otherwise."""
    if request.headers.get("HX-Request"):
        return _status_fragment(request, survey, can_manage=True, notice=message)
    messages.success(request, message)
    return redirect("surveys:dashboard", slug=survey.slug)


# --------------------------------------------------------------------------- surveys


@staff_required
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {"surveys": surveys_of(request.user)})


@staff_required
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            survey = form.save()
            survey.organisations.set(form.chosen_organisations())
            Membership.objects.create(survey=survey, user=request.user, role=Membership.Role.LEADER)
            audit("survey.created", request.user, survey, slug=survey.slug)
        messages.success(request, _("Kartleggingen er opprettet som utkast."))
        return redirect("surveys:dashboard", slug=survey.slug)
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "creating": True},
        status=422 if form.errors else 200,
    )


@staff_required
def survey_settings(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    form = SurveyForm(request.POST or None, instance=survey)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            survey.organisations.set(form.chosen_organisations())
            audit("survey.changed", request.user, survey, fields=form.changed_data)
        messages.success(request, _("Innstillingene er lagret."))
        return redirect("surveys:dashboard", slug=survey.slug)
    return render(
        request,
        "surveys/survey_form.html",
        {"form": form, "survey": survey},
        status=422 if form.errors else 200,
    )


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


@staff_required
def email_texts(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    form = EmailTextsForm(request.POST or None, instance=survey)
    preview = None
    if request.method == "POST" and form.is_valid():
        if request.POST.get("handling") == "lagre":
            form.save()
            audit("survey.email_texts_changed", request.user, survey, fields=form.changed_data)
            messages.success(request, _("E-postteksten er lagret."))
            return redirect("surveys:dashboard", slug=survey.slug)
        preview = _previews(form.instance)
    elif request.method == "GET":
        preview = _previews(survey)
    return render(
        request,
        "surveys/email_texts.html",
        {"survey": survey, "form": form, "previews": preview},
        status=422 if form.errors else 200,
    )


def _previews(survey: Survey) -> list[dict]:
    """The e-mails as a respondent would get them, with an example person and link."""
    organisation = survey.organisations.first()
    example = Respondent(
        survey=survey,
        organisation=organisation,
        name=_("Kari Eksempel"),
        email="kari@example.invalid",
        role=_("Kreftkoordinator"),
    )
    link = f"{Respondent.link_for('eksempel-lenke')}"
    previews = []
    for kind in (Email.Kind.INVITATION, Email.Kind.REMINDER):
        context = {
            "respondent": example,
            "survey": survey,
            "link": link,
            "email": Email(kind=kind),
            "response": None,
        }
        previews.append(
            {
                "kind": Email.Kind(kind).label,
                "subject": " ".join(
                    render_to_string(f"emails/{kind}_subject.txt", context).split()
                ),
                "text": render_to_string(f"emails/{kind}.txt", context),
            }
        )
    return previews


# --------------------------------------------------------------------------- dashboard


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
    emails = mail.queue_invitations(survey)
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
    emails = mail.queue_reminders(survey, scope)
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
    mail.retry(email)
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


# --------------------------------------------------------------------------- respondents


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
def respondent_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    instance = respondent_in(survey, pk) if pk is not None else Respondent(survey=survey)
    if instance.anonymised_at:
        return _anonymised(request, survey, instance)
    form = RespondentForm(request.POST or None, instance=instance, survey=survey)
    if request.method == "POST" and form.is_valid():
        respondent = form.save()
        audit(
            "respondent.changed" if pk else "respondent.added",
            request.user,
            survey,
            respondent=respondent.pk,
            fields=form.changed_data,
        )
        messages.success(request, _("%(name)s er lagret.") % {"name": respondent.name})
        return redirect("surveys:dashboard", slug=survey.slug)
    return render(
        request,
        "surveys/respondent_form.html",
        {"survey": survey, "form": form, "respondent": instance if pk else None},
        status=422 if form.errors else 200,
    )


@staff_required
@require_POST
def respondent_action(request: HttpRequest, slug: str, pk: int, action: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    respondent = respondent_in(survey, pk)
    detail = reverse("surveys:respondent", kwargs={"slug": slug, "pk": respondent.pk})
    if respondent.anonymised_at:
        return _anonymised(request, survey, respondent)
    if action == "fjern":
        respondent.removed_at = timezone.now()
        # The link keeps working so the person gets a polite page, not an error.
        respondent.save(update_fields=["removed_at"])
        message = _("%(name)s er fjernet. Svarene er tatt vare på.")
    elif action == "inviter":
        mail.queue([respondent], Email.Kind.INVITATION)
        message = _("Ny invitasjon til %(name)s er lagt i kø.")
    elif action == "paminn":
        mail.queue([respondent], Email.Kind.REMINDER)
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


def _anonymised(request: HttpRequest, survey: Survey, respondent: Respondent) -> HttpResponse:
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


@staff_required
def respondent_import(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    form = ImportForm(request.POST or None, request.FILES or None)
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        try:
            count = import_respondents(survey, form.cleaned_data["file"].read(), request.user)
        except ImportProblems as exc:
            problems = exc.problems
        else:
            messages.success(request, _("%(n)s respondenter er importert.") % {"n": count})
            return redirect("surveys:dashboard", slug=survey.slug)
    return render(
        request,
        "surveys/import.html",
        {"survey": survey, "form": form, "problems": problems},
        status=422 if (problems or form.errors) else 200,
    )
