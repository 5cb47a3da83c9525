"""The respondent's journey: welcome → one section per page → summary → receipt.

Every page finds its respondent through `Respondent.objects.for_token`, the
one scoped lookup; nothing is fetched by id. Pages work without JavaScript
(plain POST per section); with htmx each change is saved at once.
"""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from kartlegging.organisations.models import Organisation
from kartlegging.questionnaires.answers import (
    AnswerError,
    display_value,
    form_value,
    parse_answer,
)
from kartlegging.questionnaires.estimate import estimate
from kartlegging.questionnaires.fields import dom_id, question_field
from kartlegging.questionnaires.schema import Question, Questionnaire, Section
from kartlegging.responses.models import Response
from kartlegging.responses.services import (
    ResponseLocked,
    missing_required,
    open_response,
    save_answers,
    submit,
    visible_answers,
)
from kartlegging.responses.throttling import UnknownLink
from kartlegging.surveys import handover, tasks
from kartlegging.surveys.forms import HandOnForm
from kartlegging.surveys.models import Respondent, Survey
from kartlegging.surveys.tokens import is_well_formed


def _respondent(token: str) -> Respondent:
    # Malformed and unknown tokens get the same 404: nothing reveals whether a survey exists.
    if not is_well_formed(token):
        raise UnknownLink
    try:
        return Respondent.objects.for_token(token)
    except Respondent.DoesNotExist:
        raise UnknownLink from None


class Journey:
    """What every respondent page needs, looked up once per request."""

    def __init__(self, token: str):
        self.token = token
        self.respondent = _respondent(token)
        self.survey: Survey = self.respondent.survey
        self.questionnaire: Questionnaire = self.survey.questionnaire_for(
            self.respondent.organisation
        ).definition
        self.response: Response | None = getattr(self.respondent, "response", None)
        self.answers: dict[str, Any] = self.response.answer_values() if self.response else {}
        self.versions: dict[str, int] = (
            {a.question_key: a.version for a in self.response.answers.all()}
            if self.response
            else {}
        )

    @property
    def sections(self) -> list[Section]:
        return self.questionnaire.visible_sections(self.answers)

    def section(self, key: str) -> Section:
        for section in self.questionnaire.sections:
            if section.key == key:
                return section
        raise Http404

    def resume_section(self) -> Section:
        """Where to continue: the section of the most recently changed answer."""
        sections = self.sections
        last = self.response.answers.order_by("-updated_at").first() if self.response else None
        if last is not None and self.questionnaire.has_question(last.question_key):
            section = self.questionnaire.section_of(last.question_key)
            if section in sections:
                return section
        return sections[0]

    def url(self, name: str, **kwargs: str) -> str:
        return reverse(f"responses:{name}", kwargs={"token": self.token, **kwargs})

    def closed_page(self, request: HttpRequest) -> HttpResponse | None:
        """The polite page for a survey that is not open, unless already submitted."""
        if self.respondent.removed_at:
            return render(request, "responses/removed.html", self.context())
        if self.response and self.response.is_submitted:
            return None
        if self.survey.state == Survey.State.DRAFT:
            return render(request, "responses/not_open.html", self.context())
        if self.survey.state == Survey.State.CLOSED:
            return render(request, "responses/closed.html", self.context())
        return None

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "journey": self,
            "survey": self.survey,
            "respondent": self.respondent,
            "questionnaire": self.questionnaire,
            "response": self.response,
            **extra,
        }


def welcome(request: HttpRequest, token: str) -> HttpResponse:
    journey = Journey(token)
    if (page := journey.closed_page(request)) is not None:
        return page
    if journey.response and journey.response.is_submitted:
        return render(
            request,
            "responses/receipt.html",
            journey.context(groups=_answer_groups(journey, editable=False)),
        )
    if journey.response is None:
        journey.response = open_response(journey.respondent)
    resume = journey.resume_section()
    started = journey.response.status == Response.Status.STARTED
    # Computed from the questions this respondent sees; once started, what is left.
    duration = estimate(
        journey.questionnaire, journey.answers, left_from=resume.key if started else None
    )
    return render(
        request,
        "responses/welcome.html",
        journey.context(
            first_url=journey.url("section", section=resume.key),
            started=started,
            duration=duration,
        ),
    )


@require_http_methods(["GET", "POST"])
def hand_on(request: HttpRequest, token: str) -> HttpResponse:
    """Pass the invitation to a better-placed colleague in the same organisation."""
    journey = Journey(token)
    if (page := journey.closed_page(request)) is not None:
        return page
    if journey.response and journey.response.is_submitted:
        return redirect(journey.url("welcome"))
    form = HandOnForm(request.POST or None, respondent=journey.respondent)
    # The chain's allowance is checked again under a lock in handover.hand_on.
    left = handover.hand_ons_left(journey.respondent)
    refusal = handover.limit_refusal(journey.survey) if not left else ""
    if request.method == "POST" and left and form.is_valid():
        try:
            colleague = handover.hand_on(journey.respondent, **form.cleaned_data)
        except handover.HandOnRefused as refused:
            refusal, left = refused.message, handover.hand_ons_left(journey.respondent)
        else:
            messages.success(
                request,
                _("Takk! %(name)s har fått en invitasjon på e-post.") % {"name": colleague.name},
            )
            return redirect(journey.url("welcome"))
    return render(
        request,
        "responses/hand_on.html",
        journey.context(form=form, refusal=refusal, left=left, limit=handover.HAND_ON_LIMIT),
        status=422 if request.method == "POST" and (refusal or form.errors) else 200,
    )


def _refusal(journey: Journey) -> tuple[int, str] | None:
    """Why a save cannot be stored now (status, message), or None when it can."""
    if journey.respondent.removed_at:
        return 410, _(
            "Ikke lagret – lenken din er ikke lenger i bruk. Ta kontakt med prosjektlederen "
            "hvis du mener dette er feil."
        )
    if journey.response and journey.response.is_submitted:
        return 409, _(
            "Ikke lagret – svarene dine er allerede sendt inn, kanskje fra en annen fane. "
            "Last siden på nytt for å se kvitteringen."
        )
    if journey.survey.state == Survey.State.DRAFT:
        return 409, _("Ikke lagret – kartleggingen er ikke åpnet for svar ennå.")
    if journey.survey.state == Survey.State.CLOSED:
        return 409, _("Ikke lagret – kartleggingen er lukket, så svarene kan ikke lenger endres.")
    return None


def _refusal_now(journey: Journey) -> tuple[int, str]:
    """The save was refused under the lock: submitted or closed since the page checked."""
    journey.response.refresh_from_db()
    journey.survey.refresh_from_db()
    return _refusal(journey) or (409, _("Ikke lagret – last siden på nytt."))


def _refused_save(
    request: HttpRequest, journey: Journey, current: Section, status: int, message: str
) -> HttpResponse:
    """A save that cannot be stored: say so where the respondent looks, keep what they typed."""
    if request.headers.get("HX-Request"):
        page = render(request, "responses/_save_status.html", {"message": message, "failed": True})
    else:
        posted = {q.key: request.POST.getlist(q.key) for q in current.questions}
        page = render(
            request,
            "responses/section.html",
            _section_context(journey, current, {}, posted) | {"refusal": message},
        )
    page.status_code = status
    return page


@require_http_methods(["GET", "POST"])
def section(request: HttpRequest, token: str, section: str) -> HttpResponse:
    journey = Journey(token)
    if request.method == "POST" and (refusal := _refusal(journey)) is not None:
        return _refused_save(request, journey, journey.section(section), *refusal)
    if (page := journey.closed_page(request)) is not None:
        return page
    current = journey.section(section)
    if journey.response is None:
        journey.response = open_response(journey.respondent)
    if journey.response.is_submitted:
        return redirect(journey.url("welcome"))
    if request.method == "POST" and request.headers.get("HX-Request"):
        return _autosave(request, journey, current)
    errors: dict[str, str] = {}
    posted: dict[str, list[str]] = {}
    if request.method == "POST":
        posted = {q.key: request.POST.getlist(q.key) for q in current.questions}
        versions = {q.key: _int(request.POST.get(f"_v_{q.key}")) for q in current.questions}
        before = journey.questionnaire.visible_keys(journey.answers)
        try:
            result = save_answers(journey.response, journey.questionnaire, posted, versions)
        except ResponseLocked:
            return _refused_save(request, journey, current, *_refusal_now(journey))
        if result.ok:
            return _after_plain_save(request, journey, current, before)
        errors = result.errors
    page = render(
        request, "responses/section.html", _section_context(journey, current, errors, posted)
    )
    if errors:
        page.status_code = 422
    return page


def _after_plain_save(
    request: HttpRequest, journey: Journey, current: Section, before: set[str]
) -> HttpResponse:
    journey.answers = journey.response.answer_values()
    visible = journey.questionnaire.visible_keys(journey.answers)
    revealed = [
        q
        for q in current.questions
        if q.key in visible and q.key not in before and q.key not in journey.answers
    ]
    if revealed:
        # Without JavaScript, follow-up questions appear only after a save: stay and show them.
        messages.info(
            request, _("Svarene dine er lagret. Nye oppfølgingsspørsmål vises nå på denne siden.")
        )
        return redirect(
            journey.url("section", section=current.key) + f"#sp-{dom_id(revealed[0].key)}"
        )
    sections = journey.sections
    keys = [s.key for s in sections]
    index = keys.index(current.key) if current.key in keys else -1
    if request.POST.get("ga") == "forrige" and index > 0:
        return redirect(journey.url("section", section=keys[index - 1]))
    if request.POST.get("ga") == "lagre":
        messages.success(request, _("Svarene dine er lagret."))
        return redirect(journey.url("section", section=current.key))
    if 0 <= index < len(keys) - 1:
        return redirect(journey.url("section", section=keys[index + 1]))
    return redirect(journey.url("summary"))


def _autosave(request: HttpRequest, journey: Journey, current: Section) -> HttpResponse:
    key = request.POST.get("_sporsmal", "")
    if key not in {q.key for q in current.questions}:
        return HttpResponse(_("Ukjent spørsmål."), status=400, content_type="text/plain")
    raw = {key: request.POST.getlist(key)}
    versions = {key: _int(request.POST.get(f"_v_{key}"))}
    try:
        result = save_answers(journey.response, journey.questionnaire, raw, versions)
    except ResponseLocked:
        return _refused_save(request, journey, current, *_refusal_now(journey))
    journey.answers = journey.response.answer_values()
    visible = journey.questionnaire.visible_keys(journey.answers)
    question = journey.questionnaire.question(key)
    context = {
        "question": question,
        "dom_key": dom_id(key),
        "error": result.errors.get(key, ""),
        "version": result.versions.get(key, journey.versions.get(key, 0)),
        "failed": not result.ok,
        "message": _("Ikke lagret – se feilen ved spørsmålet.")
        if not result.ok
        else _("Lagret kl. %(time)s")
        % {"time": timezone.localtime(result.saved_at).strftime("%H:%M")},
    }
    page = render(request, "responses/_save_status.html", context)
    page.status_code = 200 if result.ok else 422
    page["HX-Trigger"] = json.dumps(
        {
            "kartlegging:lagret": {
                "synlige": [q.key for q in current.questions if q.key in visible],
                "sporsmal": key,
                "gyldig": result.ok,
            }
        }
    )
    return page


def _section_context(
    journey: Journey, current: Section, errors: dict[str, str], posted: dict[str, list[str]]
) -> dict[str, Any]:
    sections = journey.sections
    keys = [s.key for s in sections]
    number = keys.index(current.key) + 1 if current.key in keys else 0
    visible = journey.questionnaire.visible_keys(journey.answers)
    questions = []
    for question in current.questions:
        register = None
        if question.key in posted:
            values = posted[question.key]
        elif question.key not in journey.versions and (
            register := _register_value(question, journey.respondent.organisation)
        ):
            values = [register]  # shown for the respondent to confirm; stored only on save
        else:
            value = journey.answers.get(question.key)
            values = value if isinstance(value, list) else [form_value(question, value)]
        questions.append(
            question_field(
                question,
                values,
                errors.get(question.key, ""),
                journey.versions.get(question.key, 0),
                hidden=question.key not in visible,
                prefilled=register is not None,
            )
        )
    return journey.context(
        section=current,
        questions=questions,
        number=number,
        total=len(sections),
        nav=[
            {
                "section": s,
                "url": journey.url("section", section=s.key),
                "current": s.key == current.key,
            }
            for s in sections
        ],
        error_list=[
            {
                "message": f["error"],
                "anchor": f["first_input_id"],
                # "…kommunenummeret: Skriv et tall", not "…kommunenummeret.: Skriv et tall"
                "text": f["q"].text.rstrip().rstrip(".?"),
            }
            for f in questions
            if f["error"]
        ],
        is_last=number == len(sections),
        summary_url=journey.url("summary"),
    )


# Questions the register already answers for a municipality: the section page shows the
# register's value for the respondent to confirm; it becomes an answer only when saved.
REGISTER_PREFILL = {
    "kommunenummer": lambda organisation: organisation.number,
    "innbyggere": lambda organisation: organisation.population,
}


def _register_value(question: Question, organisation: Organisation) -> str | None:
    """The register's value for the question as the field shows it, or None."""
    source = REGISTER_PREFILL.get(question.key)
    if source is None or organisation.kind != Organisation.Kind.KOMMUNE:
        return None
    value = source(organisation)
    if value in (None, ""):
        return None
    try:  # never offer a value the question would refuse
        parse_answer(question, [str(value)])
    except AnswerError:
        return None
    return str(value)


def summary(request: HttpRequest, token: str) -> HttpResponse:
    journey = Journey(token)
    if (page := journey.closed_page(request)) is not None:
        return page
    if journey.response and journey.response.is_submitted:
        return redirect(journey.url("welcome"))
    return _render_summary(request, journey, missing=None)


def _render_summary(
    request: HttpRequest, journey: Journey, missing: list[Question] | None, status: int = 200
) -> HttpResponse:
    required_missing = missing_required(journey.questionnaire, journey.answers)
    links = [
        {"question": q, "url": journey.url("section", section=q.section) + f"#sp-{dom_id(q.key)}"}
        for q in required_missing
    ]
    return render(
        request,
        "responses/summary.html",
        journey.context(
            groups=_answer_groups(journey, editable=True),
            missing=links,
            submit_failed=missing is not None and bool(missing),
            submit_url=journey.url("submit"),
        ),
        status=status,
    )


@require_POST
def submit_view(request: HttpRequest, token: str) -> HttpResponse:
    journey = Journey(token)
    if (page := journey.closed_page(request)) is not None:
        return page
    if journey.response is None:
        journey.response = open_response(journey.respondent)
    try:
        missing = submit(
            journey.response,
            journey.questionnaire,
            on_submitted=lambda response: tasks.queue_receipt(journey.respondent),
        )
    except ResponseLocked:
        return redirect(journey.url("welcome"))
    if missing:
        return _render_summary(request, journey, missing=missing, status=422)
    return redirect(journey.url("welcome"))


def _answer_groups(journey: Journey, editable: bool) -> list[dict[str, Any]]:
    counted = visible_answers(journey.questionnaire, journey.answers)
    visible = journey.questionnaire.visible_keys(journey.answers)
    groups = []
    for section in journey.sections:
        rows = [
            {
                "question": q,
                "answer": display_value(q, counted.get(q.key)),
                "url": journey.url("section", section=section.key) + f"#sp-{dom_id(q.key)}",
            }
            for q in section.questions
            if q.key in visible
        ]
        groups.append(
            {
                "section": section,
                "rows": rows,
                "editable": editable,
                "url": journey.url("section", section=section.key),
            }
        )
    return groups


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except ValueError:
        return None
