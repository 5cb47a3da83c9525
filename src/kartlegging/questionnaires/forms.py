"""The editor's forms. Field names are the file format's own (docs/sporreskjema-format.md),
so a problem the loader finds at a field is shown beside the field of the same name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from kartlegging.core.forms import DsForm
from kartlegging.questionnaires.conditions import Condition, condition_text
from kartlegging.questionnaires.document import split_vet_ikke
from kartlegging.questionnaires.schema import (
    NUMBER_TYPES,
    SCOPE_LABELS,
    THEMES,
    TYPE_LABELS,
    TYPES,
    Question,
    Questionnaire,
    Section,
)

MAX_UPLOAD = 5 * 1024 * 1024


class UploadForm(DsForm):
    file = forms.FileField(
        label=_lazy("Fil"),
        help_text=_lazy(
            "Et spørreskjema som Excel-arbeidsbok (.xlsx, som den du kan laste ned her), "
            "YAML-fil (.yaml) eller FHIR Questionnaire (.json). Høyst 5 MB."
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(_("Filen er større enn 5 MB."))
        return upload


class HeadForm(DsForm):
    nokkel = forms.CharField(
        label=_lazy("Nøkkel"),
        max_length=100,
        help_text=_lazy(
            "Skjemaets korte navn med små bokstaver, tall og bindestrek. Samme nøkkel gir en "
            "ny versjon av det samme skjemaet; en ny nøkkel gir et nytt skjema."
        ),
    )
    tittel = forms.CharField(label=_lazy("Tittel"), max_length=300)
    beskrivelse = forms.CharField(
        label=_lazy("Introduksjon"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_lazy("Vises på velkomstsiden til respondenten."),
    )
    malgruppe = forms.CharField(label=_lazy("Målgruppe"), required=False, max_length=300)

    @classmethod
    def initial_for(cls, questionnaire: Questionnaire) -> dict[str, Any]:
        return {
            "nokkel": questionnaire.key,
            "tittel": questionnaire.title,
            "beskrivelse": questionnaire.description,
            "malgruppe": questionnaire.audience,
        }


OPERATOR_LABELS = {
    "er": _lazy("er"),
    "ikke_er": _lazy("er ikke"),
    "inneholder": _lazy("har krysset av for"),
    "storre_enn": _lazy("er større enn"),
    "mindre_enn": _lazy("er mindre enn"),
    "er_besvart": _lazy("er besvart"),
    "ikke_besvart": _lazy("er ikke besvart"),
}


class ConditionFields(DsForm):
    """«Vis bare hvis»: question → operator → value with pickers, or the text notation for
    conditions with «og»/«eller»."""

    vis_sporsmal = forms.ChoiceField(label=_lazy("Vis bare hvis spørsmålet"), required=False)
    vis_operator = forms.ChoiceField(
        label=_lazy("Sammenligning"),
        required=False,
        choices=[("", "—")] + [(k, v) for k, v in OPERATOR_LABELS.items()],
    )
    vis_verdi = forms.CharField(
        label=_lazy("Svar"),
        required=False,
        max_length=500,
        help_text=_lazy("En kode, flere koder skilt med komma, eller et tall."),
    )
    vis_tekst = forms.CharField(
        label=_lazy("Eller skriv betingelsen"),
        required=False,
        max_length=2000,
        help_text=_lazy(
            "For betingelser med and/or, f.eks. koord_finnes = 'ja' and koord_antall > 1. "
            "Brukes i stedet for valgene over."
        ),
    )

    def __init__(self, *args, earlier: list[Question] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.earlier = earlier or []
        self.fields["vis_sporsmal"].choices = [("", _("Alltid (ingen betingelse)"))] + [
            (q.key, f"{q.key} – {_short(q.text)}") for q in self.earlier
        ]

    @staticmethod
    def condition_initial(condition: Condition | None) -> dict[str, Any]:
        if condition is None:
            return {}
        if condition.all_of or condition.any_of:
            return {"vis_tekst": condition_text(condition)}
        operator, value = condition.operator, condition.value
        if operator == "er_besvart":
            return {
                "vis_sporsmal": condition.question,
                "vis_operator": "er_besvart" if value else "ikke_besvart",
            }
        shown = ", ".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value)
        return {"vis_sporsmal": condition.question, "vis_operator": operator, "vis_verdi": shown}

    def condition_mapping(self) -> Any:
        """`vis_hvis` for the file format, or None; a form error if the pickers are half set."""
        data = self.cleaned_data
        if text := data.get("vis_tekst", "").strip():
            return text
        key, operator = data.get("vis_sporsmal"), data.get("vis_operator")
        value = data.get("vis_verdi", "").strip()
        if not key:
            return None
        if not operator:
            self.add_error("vis_operator", _("Velg hvordan svaret skal sammenlignes."))
            return None
        if operator in ("er_besvart", "ikke_besvart"):
            return {"sporsmal": key, "er_besvart": operator == "er_besvart"}
        if not value:
            self.add_error(
                "vis_verdi", _("Skriv svaret (koden eller tallet) det skal sammenlignes med.")
            )
            return None
        if operator in ("storre_enn", "mindre_enn"):
            try:
                number = float(value.replace(",", "."))
            except ValueError:
                self.add_error("vis_verdi", _("Skriv et tall."))
                return None
            return {"sporsmal": key, operator: int(number) if number.is_integer() else number}
        codes = [c.strip() for c in value.split(",") if c.strip()]
        return {"sporsmal": key, operator: codes[0] if len(codes) == 1 else codes}

    def condition_field(self) -> str:
        """The field a problem with the condition is shown beside."""
        return "vis_tekst" if self.data.get("vis_tekst", "").strip() else "vis_sporsmal"

    def codes_hint(self) -> list[dict[str, Any]]:
        """Earlier choice questions and their codes, shown beside the pickers."""
        return [
            {"key": q.key, "text": _short(q.text), "options": q.options}
            for q in self.earlier
            if q.options
        ]


class SectionForm(ConditionFields):
    nokkel = forms.CharField(label=_lazy("Nøkkel"), max_length=100)
    tittel = forms.CharField(label=_lazy("Tittel"), max_length=300)
    tema = forms.ChoiceField(label=_lazy("Tema"), choices=list(THEMES.items()))
    introduksjon = forms.CharField(
        label=_lazy("Innledning"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    field_order = ["nokkel", "tittel", "tema", "introduksjon"]

    @classmethod
    def initial_for(cls, section: Section) -> dict[str, Any]:
        return {
            "nokkel": section.key,
            "tittel": section.title,
            "tema": section.theme,
            "introduksjon": section.intro,
        } | cls.condition_initial(section.condition)

    def mapping(self, questions: list[dict[str, Any]]) -> dict[str, Any]:
        data = self.cleaned_data
        section: dict[str, Any] = {
            "nokkel": data["nokkel"].strip(),
            "tittel": data["tittel"],
            "tema": data["tema"],
        }
        if data.get("introduksjon", "").strip():
            section["introduksjon"] = data["introduksjon"]
        condition = self.condition_mapping()
        if condition is not None:
            section["vis_hvis"] = condition
        section["sporsmal"] = questions
        return section


class QuestionForm(ConditionFields):
    seksjon = forms.ChoiceField(label=_lazy("Seksjon"))
    nokkel = forms.CharField(
        label=_lazy("Nøkkel"),
        max_length=100,
        help_text=_lazy(
            "Små bokstaver, tall og _. Analysen og anbefalingene kjenner spørsmålet på nøkkelen."
        ),
    )
    tekst = forms.CharField(
        label=_lazy("Spørsmål"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    hjelpetekst = forms.CharField(
        label=_lazy("Hjelpetekst"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    type = forms.ChoiceField(label=_lazy("Svartype"), choices=[(t, TYPE_LABELS[t]) for t in TYPES])
    obligatorisk = forms.BooleanField(label=_lazy("Må besvares"), required=False)
    omfang = forms.ChoiceField(
        label=_lazy("Gjelder"),
        choices=list(SCOPE_LABELS.items()),
        help_text=_lazy(
            "Fakta om organisasjonen telles én gang per kommune; en vurdering telles per person."
        ),
    )
    vet_ikke = forms.BooleanField(label=_lazy("Med svaret «Vet ikke»"), required=False)
    enhet = forms.CharField(
        label=_lazy("Enhet"),
        required=False,
        max_length=50,
        help_text=_lazy("For tall, f.eks. «personer» eller «% stilling»."),
    )
    min = forms.CharField(label=_lazy("Minst"), required=False, max_length=30)
    maks = forms.CharField(label=_lazy("Høyst"), required=False, max_length=30)
    field_order = [
        "seksjon",
        "nokkel",
        "tekst",
        "hjelpetekst",
        "type",
        "obligatorisk",
        "omfang",
        "vet_ikke",
        "enhet",
        "min",
        "maks",
    ]

    def __init__(self, *args, sections: list[Section], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["seksjon"].choices = [(s.key, s.title) for s in sections]

    @classmethod
    def initial_for(cls, question: Question) -> dict[str, Any]:
        _options, vet_ikke = split_vet_ikke(question)
        number = question.type in NUMBER_TYPES
        return {
            "seksjon": question.section,
            "nokkel": question.key,
            "tekst": question.text,
            "hjelpetekst": question.help,
            "type": question.type,
            "obligatorisk": question.required,
            "omfang": question.scope,
            "vet_ikke": vet_ikke,
            "enhet": question.unit,
            "min": _number_text(question.min) if number else "",
            "maks": _number_text(question.max) if number else "",
        } | cls.condition_initial(question.condition)

    def clean_min(self):
        return self._number("min")

    def clean_maks(self):
        return self._number("maks")

    def _number(self, name: str) -> int | float | None:
        text = self.cleaned_data.get(name, "").strip().replace(",", ".").replace(" ", "")
        if not text:
            return None
        try:
            number = float(text)
        except ValueError:
            raise forms.ValidationError(_("Skriv et tall, f.eks. 0 eller 2,5.")) from None
        return int(number) if number.is_integer() else number

    def mapping(self, options: list[dict[str, Any]]) -> dict[str, Any]:
        data = self.cleaned_data
        qtype = data["type"]
        question: dict[str, Any] = {"nokkel": data["nokkel"].strip(), "tekst": data["tekst"]}
        if data.get("hjelpetekst", "").strip():
            question["hjelpetekst"] = data["hjelpetekst"]
        question["type"] = qtype
        if data.get("obligatorisk"):
            question["obligatorisk"] = True
        if data["omfang"] != "person":
            question["omfang"] = data["omfang"]
        if qtype in ("enkeltvalg", "flervalg"):
            question["alternativer"] = options
        if data.get("vet_ikke"):
            question["vet_ikke"] = True
        if qtype in NUMBER_TYPES:
            if data.get("enhet", "").strip():
                question["enhet"] = data["enhet"].strip()
            for name in ("min", "maks"):
                if data.get(name) is not None:
                    question[name] = data[name]
        condition = self.condition_mapping()
        if condition is not None:
            question["vis_hvis"] = condition
        return question


class OptionForm(DsForm):
    kode = forms.CharField(label=_lazy("Kode"), required=False, max_length=100)
    tekst = forms.CharField(label=_lazy("Tekst"), required=False, max_length=500)
    eksklusiv = forms.BooleanField(label=_lazy("Kan ikke velges sammen med andre"), required=False)

    def mapping(self) -> dict[str, Any] | None:
        data = getattr(self, "cleaned_data", {})
        if not (data.get("kode", "").strip() or data.get("tekst", "").strip()):
            return None  # an empty row
        option: dict[str, Any] = {
            "kode": data.get("kode", "").strip(),
            "tekst": data.get("tekst", ""),
        }
        if data.get("eksklusiv"):
            option["eksklusiv"] = True
        return option


OptionFormSet = forms.formset_factory(OptionForm, extra=3, max_num=200, absolute_max=200)


def option_initial(question: Question | None) -> list[dict[str, Any]]:
    if question is None or question.type not in ("enkeltvalg", "flervalg"):
        return []
    listed, _vet_ikke = split_vet_ikke(question)
    return [{"kode": o.code, "tekst": o.text, "eksklusiv": o.exclusive} for o in listed]


def _short(text: str, length: int = 70) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _number_text(value: float | None) -> str:
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else str(value).replace(".", ",")
