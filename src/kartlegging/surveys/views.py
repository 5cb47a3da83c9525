"""The project leader's pages for a survey itself: list, create, settings, e-mail texts,
adding and importing respondents. The fieldwork pages that read the answers (dashboard,
reminders, a respondent's record) are responses/fieldwork.py's.

Every view gets its survey through `access.survey_for` (404 outside the survey;
403 for a project-group member who tries to change something). Changes are
POSTs that leave an audit entry.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from kartlegging.accounts.decorators import staff_required
from kartlegging.core.csvfiles import ImportProblems
from kartlegging.core.models import audit
from kartlegging.surveys.access import respondent_in, survey_for, surveys_of
from kartlegging.surveys.forms import EmailTextsForm, ImportForm, RespondentForm, SurveyForm
from kartlegging.surveys.importing import import_respondents
from kartlegging.surveys.models import Email, Membership, Respondent, Survey
from kartlegging.surveys.privacy import anonymised_refusal

# --------------------------------------------------------------------------- surveys


@staff_required
def survey_list(request: HttpRequest) -> HttpResponse:
    return render(request, "surveys/list.html", {"surveys": surveys_of(request.user)})


@staff_required
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if form.wants_municipalities():  # «Vis kommunene»: the form again, counties unfolded
        form = form.with_municipalities()
    elif request.method == "POST" and form.is_valid():
        with transaction.atomic():
            survey = form.save()
            survey.organisations.set(form.chosen_organisations(request.user))
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
    if form.wants_municipalities():
        form = form.with_municipalities()
    elif request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            survey.organisations.set(form.chosen_organisations(request.user))
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


# --------------------------------------------------------------------------- respondents


@staff_required
def respondent_form(request: HttpRequest, slug: str, pk: int | None = None) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    instance = respondent_in(survey, pk) if pk is not None else Respondent(survey=survey)
    if instance.anonymised_at:
        return anonymised_refusal(request, survey, instance)
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
