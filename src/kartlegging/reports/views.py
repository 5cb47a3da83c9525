"""Results pages for the survey's users: tables per theme, profiles, reports and exports.

Reports are built by a background task (request → task → stored file →
download); exports are quick and stream directly. Every view goes through
`access.survey_for`, so only the survey's own users see anything.
"""

from __future__ import annotations

from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kartlegging.accounts.decorators import staff_required
from kartlegging.analysis.facts import organisation_facts, same_value_key
from kartlegging.analysis.frequencies import (
    SIZE_ORDER,
    format_percent,
    format_statistic,
    frequency_table,
)
from kartlegging.analysis.models import FactChoice
from kartlegging.analysis.profile import organisation_profile
from kartlegging.analysis.table import build_table
from kartlegging.core.models import audit
from kartlegging.core.text import is_digits
from kartlegging.organisations.sizes import size_class_label
from kartlegging.questionnaires.answers import display_value
from kartlegging.questionnaires.schema import THEMES
from kartlegging.reports.exporting import FORMATS, export
from kartlegging.reports.forms import LogoForm, SummaryForm
from kartlegging.reports.inputs import gather
from kartlegging.reports.model import (
    draft_summary,
    png_uri,
    question_figure,
    scale_figure,
    split_figure,
)
from kartlegging.reports.models import CONTENT_TYPES, FACTSHEETS, ReportFile, ReportSettings
from kartlegging.reports.tasks import build_report_file
from kartlegging.responses.models import Response
from kartlegging.surveys.access import membership_for, survey_for

GROUPINGS = {"": "Alle svar", "size": "Etter kommunestørrelse", "kind": "Etter type organisasjon"}
SPLIT_LABELS = {"size": "etter kommunestørrelse", "kind": "etter type organisasjon"}


@staff_required
def results(request: HttpRequest, slug: str) -> HttpResponse:
    """Figures and tables for one theme at a time, with filters; everything in the URL."""
    survey = survey_for(request.user, slug)
    by = request.GET.get("gruppe", "")
    by = by if by in GROUPINGS else ""
    size = request.GET.get("storrelse", "")
    size = size if size in SIZE_ORDER else ""
    started = request.GET.get("pabegynte") == "1"
    versions = {v.key: v for v in survey.questionnaire_versions()}
    version = versions.get(request.GET.get("skjema", ""), survey.questionnaire)
    questionnaire = version.definition
    table = build_table(survey, include_started=started)
    own = table[table["questionnaire"] == questionnaire.key]
    if size:
        own = own[own["size_class"] == size]
    answered = set(own["question"])
    themes = {
        theme: label
        for theme, label in THEMES.items()
        if any(q.key in answered for q in questionnaire.theme_questions(theme))
    }
    theme = request.GET.get("tema", "")
    if theme not in themes:  # start with the first of the six themes, not the background
        theme = next((t for t in themes if t != "bakgrunn"), next(iter(themes), ""))
    organisations = (
        own.drop_duplicates("organisation")[["organisation", "organisation_name"]]
        .sort_values("organisation_name")
        .itertuples(index=False)
    )

    def link(**changes) -> str:
        query = request.GET.copy()
        for key, value in changes.items():
            query[key] = value
        return f"?{query.urlencode()}"

    return render(
        request,
        "reports/results.html",
        {
            "survey": survey,
            "questionnaire": questionnaire,
            "versions": versions.values() if len(versions) > 1 else [],
            "version": version,
            "theme_links": [(t, label, link(tema=t)) for t, label in themes.items()],
            "theme": theme,
            "theme_label": themes.get(theme, ""),
            **_theme_content(
                own,
                questionnaire,
                theme,
                by or None,
                survey.boundaries,
                FactChoice.choices_for(survey),
            ),
            "by": by,
            "groupings": GROUPINGS,
            "size": size,
            "sizes": [(s, size_class_label(s, survey.boundaries)) for s in SIZE_ORDER],
            "started": started,
            "responses": own.loc[own["submitted"].astype(bool), "response"].nunique(),
            "started_responses": own.loc[~own["submitted"].astype(bool), "response"].nunique(),
            "organisations": list(organisations),
            "files": survey.report_files.all()[:10],
            "municipalities": survey.organisations.filter(kind="kommune").order_by("name"),
            "export_formats": FORMATS,
        },
    )


def _theme_content(table, questionnaire, theme: str, by, boundaries, choices) -> dict:
    """The theme's scale figure (unsplit only) and one block per answered question.

    Only the theme's answers are counted: the page shows one theme at a time.
    """
    if table.empty or not theme:
        return {"scale_figure": None, "blocks": []}
    questions = questionnaire.theme_questions(theme)
    table = table[table["question"].isin([q.key for q in questions])]
    frequencies = frequency_table(
        table, questionnaire, by=by, size_boundaries=boundaries, choices=choices
    )
    return {
        "scale_figure": None if by else scale_figure(THEMES[theme], questions, frequencies),
        "blocks": _blocks(questions, frequencies, by),
    }


def _blocks(questions, frequencies, by) -> list[dict]:
    """Per question: a figure, and a table of options × groups with n."""
    blocks = []
    for question in questions:
        rows = frequencies[frequencies["question"] == question.key]
        if rows.empty:
            continue
        groups = list(dict.fromkeys(rows["group"]))
        options = list(dict.fromkeys(rows["option_text"]))
        cells = {(r.option_text, r.group): r for r in rows.itertuples()}
        numeric = question.type in ("heltall", "desimaltall", "prosent")
        body = []
        for option in options:
            line = [option]
            for group in groups:
                r = cells[(option, group)]
                if isinstance(r.base, str):
                    line.append(r.base)  # suppressed: "færre enn 3"
                elif numeric:
                    line.append(format_statistic(r.count, question))
                else:
                    line.append(f"{format_percent(r.percent)} ({r.count})")
            body.append(line)
        bases = [
            next((c.base for (o, g), c in cells.items() if g == group), "") for group in groups
        ]
        figure = (
            split_figure(question, rows, SPLIT_LABELS[by])
            if by
            else question_figure(question, rows)
        )
        blocks.append(
            {
                "question": question,
                "groups": groups,
                "rows": body,
                "bases": bases,
                "numeric": numeric,
                "figure": figure,
            }
        )
    return blocks


@staff_required
def organisation_page(request: HttpRequest, slug: str, number: str) -> HttpResponse:
    survey = survey_for(request.user, slug)
    organisation = get_object_or_404(survey.organisations, number=number)
    questionnaire = survey.questionnaire_for(organisation).definition
    own = build_table(survey, organisation=number)
    sections = organisation_profile(own, questionnaire, number, FactChoice.choices_for(survey))
    return render(
        request,
        "reports/organisation.html",
        {
            "survey": survey,
            "organisation": organisation,
            "sections": sections,
            "responses": own["response"].nunique() if not own.empty else 0,
        },
    )


@staff_required
@require_POST
def request_report(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug)
    fmt = request.POST.get("format", "")
    number = request.POST.get("organisasjon", "")
    if request.POST.get("faktaark") == "1" and not number:
        fmt = FACTSHEETS  # every municipality: PDF and Word in one ZIP
    if fmt not in CONTENT_TYPES or (number and fmt not in ("pdf", "docx")):
        raise Http404
    if number and not survey.organisations.filter(number=number, kind="kommune").exists():
        raise Http404  # a fact sheet is for one of the survey's municipalities
    with transaction.atomic():
        report_file = ReportFile.objects.create(
            survey=survey,
            format=fmt,
            organisation=number,
            anonymise=request.POST.get("anonymise") == "1",
            requested_by=request.user,
        )
        audit(
            "report.requested",
            request.user,
            survey,
            format=fmt,
            organisation=number,
            anonymise=report_file.anonymise,
        )
        build_report_file.enqueue(report_file.pk)
    if request.headers.get("HX-Request"):
        return report_files(request, slug)
    return redirect("reports:results", slug=slug)


@staff_required
def report_files(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug)
    return render(
        request, "reports/_files.html", {"survey": survey, "files": survey.report_files.all()[:10]}
    )


@staff_required
def download_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    survey = survey_for(request.user, slug)
    report_file = get_object_or_404(survey.report_files, pk=pk, status=ReportFile.Status.DONE)
    audit(
        "report.downloaded", request.user, survey, report=report_file.pk, format=report_file.format
    )
    response = HttpResponse(bytes(report_file.content), content_type=report_file.content_type)
    disposition = "inline" if report_file.format == "html" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{report_file.filename}"'
    if report_file.format == "html":
        # The stored report is a standalone document with its own print styles.
        response["Content-Security-Policy"] = (
            "default-src 'none'; img-src data:; style-src 'unsafe-inline'"
        )
    return response


@staff_required
def download_export(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    survey = survey_for(request.user, slug)
    if fmt not in FORMATS:
        raise Http404
    by = request.GET.get("gruppe") or None
    data = export(survey, fmt, by=by if by in ("size", "kind", "organisation") else None)
    audit("export.answers", request.user, survey, format=fmt)
    content_type, suffix = FORMATS[fmt]
    response = HttpResponse(data, content_type=content_type)
    name = "frekvenser" if fmt == "frequencies" else "svar"
    response["Content-Disposition"] = f'attachment; filename="{name}-{survey.slug}.{suffix}"'
    return response


@staff_required
def disputed_facts(request: HttpRequest, slug: str) -> HttpResponse:
    """Facts where one organisation's respondents disagree; the leader can pick the valid one."""
    membership = membership_for(request.user, slug)
    survey = membership.survey
    table = build_table(survey)
    chosen = FactChoice.choices_for(survey)
    items = []
    for version in survey.questionnaire_versions():
        questionnaire = version.definition
        own = table[table["questionnaire"] == questionnaire.key]
        for fact in organisation_facts(own, questionnaire, chosen) if not own.empty else []:
            if not (fact.disputed or fact.chosen_by_leader):
                continue
            question = questionnaire.question(fact.question)
            options: dict = {}  # one entry per distinct answer, in the order first given
            for response, role, value in fact.values:
                option = options.setdefault(
                    same_value_key(value),
                    {
                        "response": response,
                        "text": display_value(question, value),
                        "roles": [],
                        "chosen": fact.chosen_by_leader
                        and same_value_key(fact.value) == same_value_key(value),
                    },
                )
                option["roles"].append(role)
            items.append({"fact": fact, "question": question, "options": list(options.values())})
    return render(
        request,
        "reports/facts.html",
        {
            "survey": survey,
            "items": items,
            "can_choose": membership.is_leader,
        },
    )


@staff_required
@require_POST
def choose_fact(request: HttpRequest, slug: str) -> HttpResponse:
    survey = survey_for(request.user, slug, manage=True)
    number = request.POST.get("organisasjon", "")
    if "\x00" in number:  # PostgreSQL cannot compare it; no organisation has it
        raise Http404
    organisation = get_object_or_404(survey.organisations, number=number)
    key = request.POST.get("sporsmal", "")
    questionnaire = survey.questionnaire_for(organisation).definition
    # The chosen value is one respondent's submitted, counted answer in that organisation.
    response = Response.objects.filter(
        pk=request.POST.get("respons") if is_digits(str(request.POST.get("respons"))) else None,
        respondent__survey=survey,
        respondent__organisation=organisation,
        status=Response.Status.SUBMITTED,
    ).first()
    answers = response.answer_values() if response else {}
    if key not in answers or key not in questionnaire.visible_keys(answers):
        raise Http404
    FactChoice.objects.update_or_create(
        survey=survey,
        organisation=organisation.number,
        question=key,
        defaults={"value": answers[key], "chosen_by": request.user},
    )
    audit("fact.chosen", request.user, survey, organisation=organisation.number, question=key)
    return redirect("reports:facts", slug=slug)


@staff_required
def summary(request: HttpRequest, slug: str) -> HttpResponse:
    """The report's «Sammendrag» and cover logo: the leader edits, the project group reads.

    The draft from the data stays beside the leader's text, so it can be compared and taken
    back; an empty text means the report uses the draft.
    """
    membership = membership_for(request.user, slug, manage=request.method == "POST")
    survey = membership.survey
    own = ReportSettings.objects.filter(survey=survey).first()
    form, logo_form = None, LogoForm()
    unconfirmed = ""
    if request.method == "POST":
        own = own or ReportSettings(survey=survey)

        def saved(action: str, shown: str, **data) -> HttpResponse:
            own.updated_by = request.user
            own.save()
            audit(action, request.user, survey, **data)
            return redirect(f"{request.path}?lagret={shown}")

        match request.POST.get("handling", ""):
            case "lagre":
                form = SummaryForm(request.POST)
                if form.is_valid():
                    own.summary = form.cleaned_data["summary"].strip()
                    return saved("report.summary_saved", "tekst", characters=len(own.summary))
            case "utkast" if request.POST.get("bekreft") == "1":
                own.summary = ""
                return saved("report.summary_reset", "utkast")
            case "utkast":
                unconfirmed = _("Kryss av for at du vil erstatte teksten din med utkastet.")
            case "logo":
                logo_form = LogoForm(request.POST, request.FILES)
                if logo_form.is_valid():
                    own.logo = logo_form.cleaned_data["logo"]
                    return saved("report.logo_uploaded", "logo", size=len(own.logo))
            case "fjern_logo":
                own.logo = None
                return saved("report.logo_removed", "uten_logo")
            case _:
                raise Http404
    # The draft only for a page to show (building it reads every answer).
    draft = draft_summary(gather(survey))
    if form is None:  # without a text of the leader's own, the field starts from the draft
        form = SummaryForm(initial={"summary": own.summary if own and own.summary else draft})
    return render(
        request,
        "reports/summary.html",
        {
            "survey": survey,
            "form": form,
            "logo_form": logo_form,
            "draft": draft,
            "own_text": bool(own and own.summary),
            "logo": png_uri(own.logo if own else None),
            "can_edit": membership.is_leader,
            "saved": request.GET.get("lagret", ""),
            "unconfirmed": unconfirmed,
        },
    )
