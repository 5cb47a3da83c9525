"""The questionnaire editor: the project leader's pages for copying, editing, previewing
and taking a questionnaire into use, without YAML.

Every change goes through drafts.py and the one loader, and a refused change is shown
beside its field with nothing stored. Versions never change; a draft becomes the next
version with «Ta i bruk», and a draft survey moves to it in its settings.
"""

from __future__ import annotations

import json
from typing import Any

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_POST

from kartlegging.accounts.decorators import staff_required
from kartlegging.core.models import audit
from kartlegging.questionnaires import drafts, fhir, spreadsheet
from kartlegging.questionnaires.answers import AnswerError, parse_answer
from kartlegging.questionnaires.compare import compare
from kartlegging.questionnaires.conditions import describe
from kartlegging.questionnaires.dependents import dependents
from kartlegging.questionnaires.document import dump_yaml, to_document
from kartlegging.questionnaires.estimate import estimate
from kartlegging.questionnaires.fields import dom_id, question_field
from kartlegging.questionnaires.forms import (
    HeadForm,
    OptionFormSet,
    QuestionForm,
    SectionForm,
    UploadForm,
    option_initial,
)
from kartlegging.questionnaires.models import QuestionnaireDraft, QuestionnaireVersion
from kartlegging.questionnaires.schema import (
    SCOPE_LABELS,
    TYPE_LABELS,
    Questionnaire,
    QuestionnaireError,
    parse_questionnaire,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# --------------------------------------------------------------------------- the library


@staff_required
def library(request: HttpRequest) -> HttpResponse:
    return _library(request, UploadForm())


def _library(request: HttpRequest, form: UploadForm, problems=(), status: int = 200):
    keys: dict[str, list[QuestionnaireVersion]] = {}
    for version in QuestionnaireVersion.objects.order_by("key", "-version"):
        keys.setdefault(version.key, []).append(version)
    return render(
        request,
        "questionnaires/library.html",
        {
            "questionnaires": [{"latest": v[0], "older": v[1:]} for v in keys.values()],
            "drafts": QuestionnaireDraft.objects.select_related("based_on", "created_by"),
            "form": form,
            "problems": problems,
        },
        status=status,
    )


@staff_required
@require_POST
def upload(request: HttpRequest) -> HttpResponse:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _library(request, form, status=422)
    upload_file = form.cleaned_data["file"]
    data = upload_file.read()
    warnings: list[str] = []
    try:
        if data.startswith(b"PK"):
            source = spreadsheet.from_xlsx(data)
        else:
            text = _text(data)
            if fhir.looks_like_fhir(upload_file.name, text):
                source, warnings = fhir.from_fhir_json(text)
            else:
                source = text
        questionnaire = parse_questionnaire(source)
    except QuestionnaireError as exc:
        return _library(request, form, problems=exc.problems, status=422)
    latest = QuestionnaireVersion.objects.filter(key=questionnaire.key).order_by("-version").first()
    draft = drafts.new_draft(questionnaire, request.user, based_on=latest)
    audit(
        "questionnaire.draft_uploaded",
        request.user,
        draft=draft.pk,
        key=draft.key,
        file=upload_file.name[:200],
    )
    messages.success(
        request,
        _("Filen er lest inn som et nytt utkast. Se over det og ta det i bruk når det er klart."),
    )
    for warning in warnings:
        messages.warning(request, warning)
    return redirect("questionnaires:draft", pk=draft.pk)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise QuestionnaireError(
            [_("Filen er verken en Excel-arbeidsbok, FHIR (JSON) eller YAML i UTF-8.")]
        ) from None


@staff_required
def version_view(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    questionnaire = version.definition
    previous = (
        QuestionnaireVersion.objects.filter(key=version.key, version__lt=version.version)
        .order_by("-version")
        .first()
    )
    surveys = [
        d
        for d in dependents(version.key, {q.key for q in questionnaire.questions}, request.user)
        if d.kind == _("Kartlegging")
    ]
    return render(
        request,
        "questionnaires/version.html",
        {
            "version": version,
            "questionnaire": questionnaire,
            "previous": previous,
            "surveys": surveys,
            "minutes": estimate(questionnaire),
        },
    )


@staff_required
@require_POST
def copy_version(request: HttpRequest, pk: int) -> HttpResponse:
    version = get_object_or_404(QuestionnaireVersion, pk=pk)
    draft = drafts.new_draft(version.definition, request.user, based_on=version)
    audit(
        "questionnaire.draft_created",
        request.user,
        draft=draft.pk,
        copy_of=f"{version.key} v{version.version}",
    )
    messages.success(
        request,
        _("Du har laget en kopi av «%(title)s» versjon %(n)s. Endringene lagres i utkastet.")
        % {"title": version.title, "n": version.version},
    )
    return redirect("questionnaires:draft", pk=draft.pk)


@staff_required
def download(request: HttpRequest, kind: str, pk: int, fmt: str) -> HttpResponse:
    if kind == "versjon":
        item: Any = get_object_or_404(QuestionnaireVersion, pk=pk)
        name = f"{item.key}-v{item.version}"
        number = item.version
    elif kind == "utkast":
        item = get_object_or_404(QuestionnaireDraft, pk=pk)
        name, number = f"{item.key}-utkast", None
    else:
        raise Http404
    questionnaire = item.definition
    if fmt == "xlsx":
        body, content_type = spreadsheet.to_xlsx(questionnaire), XLSX
    elif fmt == "yaml":
        body = dump_yaml(to_document(questionnaire)).encode("utf-8")
        content_type = "application/yaml; charset=utf-8"
    elif fmt == "fhir":
        document = fhir.to_fhir(questionnaire, version=number)
        body = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
        content_type, fmt = "application/fhir+json; charset=utf-8", "json"
    else:
        raise Http404
    audit("questionnaire.downloaded", request.user, questionnaire=name, format=fmt)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


# --------------------------------------------------------------------------- a draft


def _draft(pk: int) -> QuestionnaireDraft:
    return get_object_or_404(QuestionnaireDraft, pk=pk)


@staff_required
def draft_view(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    questionnaire = draft.definition
    texts = {q.key: q.text for q in questionnaire.questions}

    def named(key: str) -> str:
        return f"«{texts.get(key, key)}»"

    sections = [
        {
            "section": s,
            "condition": describe(s.condition, named) if s.condition else "",
            "questions": [
                {
                    "q": q,
                    "dom": dom_id(q.key),
                    "type": TYPE_LABELS.get(q.type, q.type),
                    "scope": SCOPE_LABELS.get(q.scope, q.scope),
                    "condition": describe(q.condition, named) if q.condition else "",
                }
                for q in s.questions
            ],
        }
        for s in questionnaire.sections
    ]
    return render(
        request,
        "questionnaires/draft.html",
        {
            "draft": draft,
            "questionnaire": questionnaire,
            "sections": sections,
            "minutes": estimate(questionnaire),
        },
    )


def _save(request, draft, doc, form, spot: tuple[int, int], what: str, formset=None) -> bool:
    """Store the change, or put each problem beside its field (on the form, the option
    row, or at the top for problems elsewhere it causes) and store nothing."""
    try:
        drafts.save(draft, doc, request.user, what)
    except QuestionnaireError as exc:
        rows = getattr(formset, "filled", [])
        for entry in exc.entries or []:
            place = entry.place
            here = (place.section, place.question) == spot
            if here and place.option and place.option <= len(rows) and place.field:
                rows[place.option - 1].add_error(place.field, entry.message)
            elif here and place.field == "vis_hvis":
                form.add_error(form.condition_field(), entry.message)
            elif here and place.field in form.fields and not place.option:
                form.add_error(place.field, entry.message)
            else:
                form.add_error(None, entry.text)
        if not exc.entries:
            for problem in exc.problems:
                form.add_error(None, problem)
        return False
    return True


@staff_required
def draft_head(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    questionnaire = draft.definition
    form = HeadForm(request.POST or None, initial=HeadForm.initial_for(questionnaire))
    if request.method == "POST" and form.is_valid():
        doc = drafts.document(draft)
        data = form.cleaned_data
        doc["nokkel"], doc["tittel"] = data["nokkel"].strip(), data["tittel"]
        for name in ("beskrivelse", "malgruppe"):
            doc.pop(name, None)
            if data[name].strip():
                doc[name] = data[name]
        if _save(request, draft, doc, form, (0, 0), "head"):
            messages.success(request, _("Lagret."))
            return redirect("questionnaires:draft", pk=draft.pk)
    return render(
        request,
        "questionnaires/head_form.html",
        {"draft": draft, "form": form},
        status=422 if form.errors else 200,
    )


@staff_required
def section_edit(request: HttpRequest, pk: int, key: str | None = None) -> HttpResponse:
    draft = _draft(pk)
    questionnaire = draft.definition
    doc = drafts.document(draft)
    section = None
    if key is not None:
        spot = drafts.find_section(doc, key)
        if spot is None:
            raise Http404
        section = next(s for s in questionnaire.sections if s.key == key)
        earlier_sections = questionnaire.sections[: spot.section]
        initial = SectionForm.initial_for(section)
    else:
        spot = drafts.Spot(len(doc["seksjoner"]))
        earlier_sections = questionnaire.sections
        initial = {"nokkel": drafts.unique_key(doc, "ny_seksjon"), "tema": "organisering"}
    earlier = [q for s in earlier_sections for q in s.questions]
    form = SectionForm(request.POST or None, initial=initial, earlier=earlier)
    if request.method == "POST" and form.is_valid():
        if section is None:
            mapping = form.mapping([_placeholder_question(doc)])
            doc["seksjoner"].append(mapping)
        else:
            mapping = form.mapping(doc["seksjoner"][spot.section]["sporsmal"])
            doc["seksjoner"][spot.section] = mapping
        place = (spot.section + 1, 0)
        if form.is_valid() and _save(request, draft, doc, form, place, "section"):
            messages.success(request, _("Seksjonen «%(t)s» er lagret.") % {"t": mapping["tittel"]})
            return redirect(
                reverse("questionnaires:draft", args=[draft.pk]) + f"#seksjon-{mapping['nokkel']}"
            )
    return render(
        request,
        "questionnaires/section_form.html",
        {"draft": draft, "form": form, "section": section},
        status=422 if form.errors else 200,
    )


def _placeholder_question(doc: dict[str, Any]) -> dict[str, Any]:
    """A section needs a question; a new one starts with one to reword."""
    return {
        "nokkel": drafts.unique_key(doc, "nytt_sporsmal"),
        "tekst": _("Nytt spørsmål – skriv spørsmålet her"),
        "type": "kort_tekst",
    }


@staff_required
def question_edit(
    request: HttpRequest, pk: int, key: str | None = None, section: str | None = None
) -> HttpResponse:
    draft = _draft(pk)
    questionnaire = draft.definition
    doc = drafts.document(draft)
    question = None
    if key is not None:
        found = drafts.find_question(doc, key)
        if found is None:
            raise Http404
        question = questionnaire.question(key)
        initial = QuestionForm.initial_for(question)
        before = _questions_before(questionnaire, key)
    else:
        if section is None or drafts.find_section(doc, section) is None:
            raise Http404
        initial = {
            "seksjon": section,
            "nokkel": drafts.unique_key(doc, "nytt_sporsmal"),
            "type": "enkeltvalg",
            "omfang": "person",
        }
        before = _questions_before(questionnaire, None, section)
    form = QuestionForm(
        request.POST or None,
        initial=initial,
        sections=list(questionnaire.sections),
        earlier=before,
    )
    formset = OptionFormSet(request.POST or None, initial=option_initial(question), prefix="alt")
    affected: list = []
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        filled = [(f, f.mapping()) for f in formset.forms]
        formset.filled = [f for f, m in filled if m is not None]
        options = [m for _f, m in filled if m is not None]
        mapping = form.mapping(options)
        if form.is_valid():
            target = drafts.find_section(doc, form.cleaned_data["seksjon"])
            assert target is not None  # a choice of the form
            questions = doc["seksjoner"][target.section]["sporsmal"]
            if key is not None:
                found = drafts.find_question(doc, key)
                assert found is not None
                old = doc["seksjoner"][found.section]["sporsmal"]
                if found.section == target.section:
                    old[found.question] = mapping
                    index = found.question
                else:
                    del old[found.question]
                    questions.append(mapping)
                    index = len(questions) - 1
            else:
                questions.append(mapping)
                index = len(questions) - 1
            affected = _changed_codes(question, mapping)
            if not affected or request.POST.get("bekreft") == "ja":
                place = (target.section + 1, index + 1)
                if _save(request, draft, doc, form, place, "question", formset):
                    messages.success(
                        request, _("Spørsmålet «%(k)s» er lagret.") % {"k": mapping["nokkel"]}
                    )
                    return redirect(
                        reverse("questionnaires:draft", args=[draft.pk])
                        + f"#sp-{dom_id(mapping['nokkel'])}"
                    )
            affected = dependents(questionnaire.key, affected, request.user) if affected else []
    return render(
        request,
        "questionnaires/question_form.html",
        {
            "draft": draft,
            "form": form,
            "formset": formset,
            "question": question,
            "codes": form.codes_hint(),
            "dependents": affected,
        },
        status=422 if form.errors or any(f.errors for f in formset.forms) else 200,
    )


def _questions_before(questionnaire: Questionnaire, key: str | None, section: str | None = None):
    """The questions a condition may read: those before the question (or before the end of
    the section a new question is added to)."""
    earlier = []
    for s in questionnaire.sections:
        for q in s.questions:
            if q.key == key:
                return earlier
            earlier.append(q)
        if s.key == section:
            return earlier
    return earlier


def _changed_codes(question, mapping: dict[str, Any]) -> set[str]:
    """The question's key if the change removes option codes or the key (what rules and
    earlier versions read), else nothing."""
    if question is None:
        return set()
    if mapping["nokkel"] != question.key:
        return {question.key}
    new_codes = {o["kode"] for o in mapping.get("alternativer", [])}
    old_codes = {o.code for o in question.options if o.code != "vet_ikke"}
    if question.type in ("enkeltvalg", "flervalg") and not old_codes <= new_codes:
        return {question.key}
    if mapping["type"] != question.type:
        return {question.key}
    return set()


@staff_required
def question_remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    draft = _draft(pk)
    questionnaire = draft.definition
    if not questionnaire.has_question(key):
        raise Http404
    question = questionnaire.question(key)
    readers = drafts.readers_in_draft(questionnaire, key)
    problem = ""
    if request.method == "POST":
        doc = drafts.document(draft)
        spot = drafts.find_question(doc, key)
        assert spot is not None
        questions = doc["seksjoner"][spot.section]["sporsmal"]
        del questions[spot.question]
        if not questions:
            problem = _("Seksjonen må ha minst ett spørsmål. Slett heller hele seksjonen.")
        elif readers:
            problem = _(
                "Ikke slettet: spørsmålene %(keys)s vises bare ut fra svaret på dette. Endre eller fjern betingelsen deres først."
            ) % {"keys": ", ".join(readers)}
        else:
            try:
                drafts.save(draft, doc, request.user, "question_removed", question=key)
            except QuestionnaireError as exc:
                problem = " ".join(exc.problems)
            else:
                messages.success(
                    request, _("Spørsmålet «%(k)s» er fjernet fra utkastet.") % {"k": key}
                )
                return redirect("questionnaires:draft", pk=draft.pk)
    return render(
        request,
        "questionnaires/question_remove.html",
        {
            "draft": draft,
            "question": question,
            "readers": readers,
            "dependents": dependents(questionnaire.key, {key}, request.user),
            "problem": problem,
        },
        status=409 if problem else 200,
    )


@staff_required
def section_remove(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    draft = _draft(pk)
    questionnaire = draft.definition
    section = next((s for s in questionnaire.sections if s.key == key), None)
    if section is None:
        raise Http404
    keys = {q.key for q in section.questions}
    readers = sorted(
        {r for k in keys for r in drafts.readers_in_draft(questionnaire, k)} - keys - {key}
    )
    problem = ""
    if request.method == "POST":
        doc = drafts.document(draft)
        spot = drafts.find_section(doc, key)
        assert spot is not None
        del doc["seksjoner"][spot.section]
        if not doc["seksjoner"]:
            problem = _("Skjemaet må ha minst én seksjon.")
        elif readers:
            problem = _(
                "Ikke slettet: %(keys)s vises bare ut fra svar i denne seksjonen. Endre eller fjern betingelsen deres først."
            ) % {"keys": ", ".join(readers)}
        else:
            drafts.save(draft, doc, request.user, "section_removed", section=key)
            messages.success(
                request, _("Seksjonen «%(t)s» er fjernet fra utkastet.") % {"t": section.title}
            )
            return redirect("questionnaires:draft", pk=draft.pk)
    return render(
        request,
        "questionnaires/section_remove.html",
        {
            "draft": draft,
            "section": section,
            "readers": readers,
            "dependents": dependents(questionnaire.key, keys, request.user),
            "problem": problem,
        },
        status=409 if problem else 200,
    )


@staff_required
@require_POST
def move(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    doc = drafts.document(draft)
    kind, key = request.POST.get("hva"), request.POST.get("nokkel", "")
    step = -1 if request.POST.get("retning") == "opp" else 1
    if kind == "seksjon" and (spot := drafts.find_section(doc, key)):
        moved = drafts.move(doc["seksjoner"], spot.section, step)
        anchor = f"seksjon-{key}"
    elif kind == "sporsmal" and (spot := drafts.find_question(doc, key)):
        moved = drafts.move(doc["seksjoner"][spot.section]["sporsmal"], spot.question, step)
        anchor = f"sp-{dom_id(key)}"
    else:
        raise Http404
    if moved:
        try:
            drafts.save(draft, doc, request.user, "moved", item=key)
        except QuestionnaireError as exc:
            messages.error(
                request,
                _("Ikke flyttet: %(problems)s")
                % {"problems": " ".join(e.message for e in exc.entries) or " ".join(exc.problems)},
            )
    return redirect(reverse("questionnaires:draft", args=[draft.pk]) + f"#{anchor}")


@staff_required
def take_into_use(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    questionnaire = draft.definition
    base = draft.based_on.definition if draft.based_on else None
    changes = compare(base, questionnaire) if base else None
    removed = changes.removed_keys if changes else set()
    problem = ""
    if request.method == "POST":
        try:
            version = drafts.take_into_use(draft)
        except QuestionnaireError as exc:
            problem = " ".join(exc.problems)
        else:
            audit(
                "questionnaire.version_created",
                request.user,
                key=version.key,
                version=version.version,
            )
            messages.success(
                request,
                _(
                    "«%(title)s» versjon %(n)s er tatt i bruk. Velg den når du oppretter en kartlegging, eller i innstillingene til en kartlegging som er utkast."
                )
                % {"title": version.title, "n": version.version},
            )
            return redirect("questionnaires:version", pk=version.pk)
    return render(
        request,
        "questionnaires/take_into_use.html",
        {
            "draft": draft,
            "questionnaire": questionnaire,
            "changes": changes,
            "dependents": dependents(questionnaire.key, removed, request.user),
            "problem": problem,
            "minutes": estimate(questionnaire),
        },
        status=409 if problem else 200,
    )


@staff_required
def draft_delete(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    if request.method == "POST":
        audit("questionnaire.draft_deleted", request.user, draft=draft.pk, key=draft.key)
        draft.delete()
        messages.success(request, _("Utkastet «%(t)s» er slettet.") % {"t": draft.title})
        return redirect("questionnaires:library")
    return render(request, "questionnaires/draft_delete.html", {"draft": draft})


# --------------------------------------------------------------------------- comparing


@staff_required
def compare_view(request: HttpRequest) -> HttpResponse:
    def pick(value: str | None) -> tuple[str, Questionnaire] | None:
        if not value:
            return None
        kind, _sep, number = value.partition("-")
        if not number.isdigit():
            return None
        if kind == "v":
            version = QuestionnaireVersion.objects.filter(pk=number).first()
            return (f"{version.title} v{version.version}", version.definition) if version else None
        if kind == "u":
            draft = QuestionnaireDraft.objects.filter(pk=number).first()
            return (_("Utkast: %(t)s") % {"t": draft.title}, draft.definition) if draft else None
        return None

    choices = [
        (f"v-{v.pk}", f"{v.title} ({v.key} v{v.version})")
        for v in QuestionnaireVersion.objects.order_by("key", "-version")
    ]
    choices += [
        (f"u-{d.pk}", _("Utkast: %(t)s") % {"t": d.title}) for d in QuestionnaireDraft.objects.all()
    ]
    old, new = pick(request.GET.get("fra")), pick(request.GET.get("til"))
    changes = compare(old[1], new[1]) if old and new else None
    return render(
        request,
        "questionnaires/compare.html",
        {
            "choices": choices,
            "chosen": (request.GET.get("fra", ""), request.GET.get("til", "")),
            "old": old,
            "new": new,
            "changes": changes,
        },
    )


# --------------------------------------------------------------------------- preview


@staff_required
def preview_frames(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    return render(request, "questionnaires/preview_frames.html", {"draft": draft})


@staff_required
@xframe_options_sameorigin
@csp_replace({"frame-ancestors": [SELF]})  # shown in the editor's phone and desktop frames
def preview(request: HttpRequest, pk: int) -> HttpResponse:
    """The draft as a respondent sees it, one section per page; answers are never stored.
    A change posts the page's answers (htmx) and gets back which questions are shown."""
    draft = _draft(pk)
    questionnaire = draft.definition
    posted = {k: request.POST.getlist(k) for k in request.POST if questionnaire.has_question(k)}
    answers: dict[str, Any] = {}
    for key, raw in posted.items():
        try:
            value = parse_answer(questionnaire.question(key), raw)
        except AnswerError:
            continue
        if value is not None:
            answers[key] = value
    if request.method == "POST" and request.headers.get("HX-Request"):
        response = HttpResponse(status=204)
        response["HX-Trigger"] = json.dumps(
            {
                "kartlegging:lagret": {
                    "synlige": sorted(questionnaire.visible_keys(answers)),
                    "sporsmal": request.POST.get("_sporsmal", ""),
                    "gyldig": True,
                }
            }
        )
        return response
    sections = questionnaire.sections
    try:
        number = min(max(int(request.GET.get("del", "1")), 1), len(sections))
    except ValueError:
        number = 1
    section = sections[number - 1]
    visible = questionnaire.visible_keys(answers)
    fields = [
        question_field(q, posted.get(q.key, []), "", 0, hidden=q.key not in visible)
        for q in section.questions
    ]
    return render(
        request,
        "questionnaires/preview.html",
        {
            "draft": draft,
            "questionnaire": questionnaire,
            "section": section,
            "questions": fields,
            "number": number,
            "total": len(sections),
            "minutes": estimate(questionnaire),
            "respondent": True,  # the page as a respondent sees it: no staff menu
        },
    )
