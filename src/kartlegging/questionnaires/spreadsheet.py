"""A questionnaire as an Excel workbook, and back: the project leader edits it in Excel.

Sheets (names and columns are the file format's words, docs/sporreskjema-format.md):
`skjema` (felt, verdi), `seksjoner` (one row per section), `spørsmål` (one row per question,
in order, with the key of its section), `alternativer` (one row per option of a single or
multiple choice question, in order), and `veiledning`, which is only read by people.
Conditions are one line of text (`koord_finnes = 'ja'`, conditions.condition_text).

Reading builds the file-format mapping and hands it to the one loader (schema.py), so a
workbook is checked exactly like a YAML file; each problem is told with its sheet, row
and column. All or nothing: a workbook with any problem gives no questionnaire.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from kartlegging.core.spreadsheets import FORMULA_STARTS, xlsx_bytes
from kartlegging.questionnaires.conditions import condition_text
from kartlegging.questionnaires.document import dump_yaml, split_vet_ikke, to_document
from kartlegging.questionnaires.schema import (
    NUMBER_TYPES,
    SCOPES,
    THEMES,
    TYPES,
    Questionnaire,
    QuestionnaireError,
    parse_questionnaire,
)
from kartlegging.questionnaires.validation import Place

FORM, SECTIONS, QUESTIONS, OPTIONS, GUIDE = (
    "skjema",
    "seksjoner",
    "spørsmål",
    "alternativer",
    "veiledning",
)
FORM_FIELDS = ("nokkel", "tittel", "beskrivelse", "malgruppe", "estimert_tid_minutter")
COLUMNS = {
    FORM: ("felt", "verdi"),
    SECTIONS: ("nokkel", "tittel", "tema", "introduksjon", "vis_hvis"),
    QUESTIONS: (
        "seksjon",
        "nokkel",
        "type",
        "tekst",
        "hjelpetekst",
        "obligatorisk",
        "omfang",
        "enhet",
        "min",
        "maks",
        "vet_ikke",
        "vis_hvis",
    ),
    OPTIONS: ("sporsmal", "kode", "tekst", "eksklusiv"),
}
REQUIRED = {
    FORM: ("felt", "verdi"),
    SECTIONS: ("nokkel", "tittel", "tema"),
    QUESTIONS: ("seksjon", "nokkel", "type", "tekst"),
    OPTIONS: ("sporsmal", "kode", "tekst"),
}
BOOLEANS = ("obligatorisk", "vet_ikke", "eksklusiv")
NUMBERS = ("min", "maks", "estimert_tid_minutter")
# What people type for a column or a sheet, besides the format's own word.
ALIASES = {
    "nøkkel": "nokkel",
    "spørsmål": "sporsmal",
    "sporsmal": "sporsmal",
    "vis hvis": "vis_hvis",
    "vet ikke": "vet_ikke",
    "estimert tid minutter": "estimert_tid_minutter",
    "målgruppe": "malgruppe",
}
SHEET_ALIASES = {"sporsmal": QUESTIONS, "spørsmål": QUESTIONS}
YES = {"ja", "j", "x", "sann", "true", "1"}
NO = {"nei", "n", "usann", "false", "0", ""}
MAX_ROWS = 5_000


# --------------------------------------------------------------------------- writing


def to_xlsx(questionnaire: Questionnaire) -> bytes:
    form = {
        "nokkel": questionnaire.key,
        "tittel": questionnaire.title,
        "beskrivelse": questionnaire.description,
        "malgruppe": questionnaire.audience,
        "estimert_tid_minutter": questionnaire.minutes,
    }
    sections, questions, options = [], [], []
    for section in questionnaire.sections:
        sections.append(
            [section.key, section.title, section.theme, section.intro, _condition(section)]
        )
        for question in section.questions:
            listed, vet_ikke = split_vet_ikke(question)
            number = question.type in NUMBER_TYPES
            questions.append(
                [
                    section.key,
                    question.key,
                    question.type,
                    question.text,
                    question.help,
                    _yes(question.required),
                    question.scope,
                    question.unit,
                    question.min if number else None,
                    question.max if number else None,
                    _yes(vet_ikke),
                    _condition(question),
                ]
            )
            for option in listed:
                options.append([question.key, option.code, option.text, _yes(option.exclusive)])
    return xlsx_bytes(
        {
            FORM: (list(COLUMNS[FORM]), [[name, form[name]] for name in FORM_FIELDS]),
            SECTIONS: (list(COLUMNS[SECTIONS]), sections),
            QUESTIONS: (list(COLUMNS[QUESTIONS]), questions),
            OPTIONS: (list(COLUMNS[OPTIONS]), options),
            GUIDE: ([_("Slik fyller du ut arkene")], [[line] for line in _guide()]),
        }
    )


def _yes(value: bool) -> str:
    return _("ja") if value else _("nei")


def _condition(item: Any) -> str:
    return condition_text(item.condition) if item.condition is not None else ""


def _guide() -> list[str]:
    return [
        _("Arket «skjema»: nøkkel, tittel, beskrivelse, målgruppe og estimert tid for skjemaet."),
        _("Arket «seksjoner»: én rad per seksjon i den rekkefølgen de skal vises."),
        _("Tema: %(themes)s.") % {"themes": ", ".join(THEMES)},
        _(
            "Arket «spørsmål»: én rad per spørsmål i rekkefølge; «seksjon» er nøkkelen til "
            "seksjonen spørsmålet står i."
        ),
        _("Type: %(types)s.") % {"types": ", ".join(TYPES)},
        _("Omfang: %(scopes)s (organisasjon = ett svar per kommune eller helseforetak).")
        % {"scopes": ", ".join(SCOPES)},
        _("Obligatorisk, vet_ikke og eksklusiv: ja eller nei."),
        _("min, maks og enhet gjelder bare heltall, desimaltall og prosent."),
        _(
            "Arket «alternativer»: én rad per svaralternativ til enkeltvalg og flervalg, med "
            "spørsmålets nøkkel. skala4 og ja_nei har faste alternativer; «Vet ikke» legges "
            "til med vet_ikke = ja."
        ),
        _(
            "vis_hvis: når spørsmålet eller seksjonen vises, f.eks. koord_finnes = 'ja', "
            "team_finnes in ['ja', 'under_etablering'], enhet_senger > 0 eller "
            "besvart(hjemmedod_antall), satt sammen med and og or. Koder står i enkle "
            "anførselstegn."
        ),
        _(
            "En nøkkel har små bokstaver a–z, tall og _. Endrer du en nøkkel, er det et nytt spørsmål."
        ),
    ]


# --------------------------------------------------------------------------- reading


@dataclass
class _Row:
    sheet: str
    number: int
    values: dict[str, Any]


@dataclass
class _Reading:
    problems: list[tuple[str, int, str, str]] = field(default_factory=list)
    blocked: bool = False  # a sheet or column is missing: reading the rows would be guessing

    def add(self, sheet: str, row: int, column: str, message: str) -> None:
        self.problems.append((sheet, row, column, message))

    def words(self) -> list[str]:
        return [
            _where(sheet, row, column) + message for sheet, row, column, message in self.problems
        ]


def _where(sheet: str, row: int, column: str) -> str:
    if row and column:
        return _("Ark «%(sheet)s», rad %(row)s, kolonne «%(column)s»: ") % {
            "sheet": sheet,
            "row": row,
            "column": column,
        }
    if row:
        return _("Ark «%(sheet)s», rad %(row)s: ") % {"sheet": sheet, "row": row}
    return _("Ark «%(sheet)s»: ") % {"sheet": sheet} if sheet else ""


def from_xlsx(data: bytes) -> str:
    """The workbook as YAML source in the file format; raises QuestionnaireError with
    every problem, each with its sheet, row and column."""
    sheets = _read_workbook(data)
    reading = _Reading()
    rows = {name: list(_rows(sheets, name, reading)) for name in COLUMNS}
    if reading.blocked:
        raise QuestionnaireError(reading.words())
    document, places = _document(rows, reading)
    try:
        questionnaire = parse_questionnaire(dump_yaml(document))
    except QuestionnaireError as exc:
        told = {(s, r, c) for s, r, c, _m in reading.problems}
        for entry in exc.entries or []:
            sheet, row, column = _locate(entry.place, places)
            if (sheet, row, column) not in told:
                reading.add(sheet, row, column, entry.message)
    else:
        if not reading.problems:
            # Written as to_document writes it, so a workbook of a file gives the file's YAML.
            return dump_yaml(to_document(questionnaire))
    raise QuestionnaireError(reading.words())


def _read_workbook(data: bytes) -> dict[str, Any]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError):
        raise QuestionnaireError(
            [
                _(
                    "Filen kan ikke leses som en Excel-arbeidsbok (.xlsx). Lagre den som .xlsx og prøv igjen."
                )
            ]
        ) from None
    sheets: dict[str, Any] = {}
    for sheet in workbook.worksheets:
        name = sheet.title.strip().lower()
        sheets[SHEET_ALIASES.get(name, name)] = sheet
    return sheets


def _rows(sheets: dict[str, Any], name: str, reading: _Reading) -> Iterator[_Row]:
    sheet = sheets.get(name)
    if sheet is None:
        reading.blocked = True
        reading.add(
            "",
            0,
            "",
            _("Arbeidsboken mangler arket «%(sheet)s» (arkene skal hete %(all)s)")
            % {"sheet": name, "all": ", ".join(f"«{n}»" for n in COLUMNS)},
        )
        return
    lines = sheet.iter_rows(values_only=True)
    header_cells = next(lines, None) or ()
    header = [_column(cell) for cell in header_cells]
    known = COLUMNS[name]
    for column in header:
        if column and column not in known:
            reading.add(
                name,
                1,
                column,
                _("ukjent kolonne (gyldige: %(valid)s)") % {"valid": ", ".join(known)},
            )
    missing = [c for c in REQUIRED[name] if c not in header]
    if missing:
        reading.blocked = True
        reading.add(
            name,
            1,
            "",
            _("mangler kolonnen(e) %(missing)s")
            % {"missing": ", ".join(f"«{c}»" for c in missing)},
        )
        return
    for number, cells in enumerate(lines, start=2):
        if number > MAX_ROWS:
            reading.blocked = True
            reading.add(
                name, number, "", _("arket har for mange rader (høyst %(n)s)") % {"n": MAX_ROWS}
            )
            return
        values = {
            column: _cell(cell)
            for column, cell in zip(header, cells, strict=False)
            if column in known
        }
        if any(v not in ("", None) for v in values.values()):
            yield _Row(name, number, values)


def _column(cell: Any) -> str:
    name = str(cell or "").strip().lower().replace("-", "_")
    return ALIASES.get(name, name)


def _cell(value: Any) -> Any:
    if isinstance(value, str):
        value = value.strip()
        # Our own export guards formulas with an apostrophe (core/spreadsheets.py).
        if value.startswith("'") and value[1:2] and value[1] in FORMULA_STARTS:
            value = value[1:]
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


@dataclass
class _Places:
    form: dict[str, int] = field(default_factory=dict)
    sections: list[int] = field(default_factory=list)
    questions: list[list[int]] = field(default_factory=list)
    options: dict[tuple[int, int], list[int]] = field(default_factory=dict)


def _document(rows: dict[str, list[_Row]], reading: _Reading) -> tuple[dict[str, Any], _Places]:
    places = _Places()
    document: dict[str, Any] = {}
    for row in rows[FORM]:
        name = _column(row.values.get("felt"))
        if name not in FORM_FIELDS:
            reading.add(
                FORM,
                row.number,
                "felt",
                _("ukjent felt «%(name)s» (gyldige: %(valid)s)")
                % {"name": row.values.get("felt"), "valid": ", ".join(FORM_FIELDS)},
            )
            continue
        value = _value(row, "verdi", reading, as_field=name)
        places.form[name] = row.number
        if value not in ("", None):
            document[name] = value
    sections: list[dict[str, Any]] = []
    by_key: dict[str, int] = {}
    for row in rows[SECTIONS]:
        section = _mapping(row, reading)
        section["sporsmal"] = []
        by_key.setdefault(str(section.get("nokkel", "")), len(sections))
        sections.append(section)
        places.sections.append(row.number)
        places.questions.append([])
    questions: dict[str, tuple[int, int, dict[str, Any]]] = {}
    for row in rows[QUESTIONS]:
        question = _mapping(row, reading)
        section_key = str(question.pop("seksjon", ""))
        if section_key not in by_key:
            reading.add(
                QUESTIONS,
                row.number,
                "seksjon",
                _("seksjonen «%(key)s» står ikke i arket «%(sheet)s»")
                % {"key": section_key, "sheet": SECTIONS},
            )
            continue
        index = by_key[section_key]
        sections[index]["sporsmal"].append(question)
        places.questions[index].append(row.number)
        position = (index + 1, len(sections[index]["sporsmal"]))
        questions.setdefault(str(question.get("nokkel", "")), (*position, question))
    for row in rows[OPTIONS]:
        option = _mapping(row, reading)
        key = str(option.pop("sporsmal", ""))
        if key not in questions:
            reading.add(
                OPTIONS,
                row.number,
                "sporsmal",
                _("spørsmålet «%(key)s» står ikke i arket «%(sheet)s»")
                % {"key": key, "sheet": QUESTIONS},
            )
            continue
        section_no, question_no, question = questions[key]
        question.setdefault("alternativer", []).append(option)
        places.options.setdefault((section_no, question_no), []).append(row.number)
    document["seksjoner"] = sections
    return document, places


def _mapping(row: _Row, reading: _Reading) -> dict[str, Any]:
    mapping: dict[str, Any] = {}
    for column in COLUMNS[row.sheet]:
        value = _value(row, column, reading)
        if value not in ("", None):
            mapping[column] = value
    return mapping


def _value(row: _Row, column: str, reading: _Reading, *, as_field: str = "") -> Any:
    """A cell as the file format has it: booleans and numbers checked here, where their
    sheet, row and column are known; text as written."""
    value = row.values.get(column, "")
    name = as_field or column
    if name in BOOLEANS:
        word = str(value).strip().lower() if not isinstance(value, bool) else value
        if isinstance(word, bool):
            return word or None
        if word in YES:
            return True
        if word in NO:
            return None
        reading.add(
            row.sheet, row.number, column, _("skriv ja eller nei, ikke «%(v)s»") % {"v": value}
        )
        return None
    if name in NUMBERS and isinstance(value, str) and value:
        try:
            number = float(value.replace(",", ".").replace("\u00a0", "").replace(" ", ""))
        except ValueError:
            reading.add(
                row.sheet, row.number, column, _("må være et tall, ikke «%(v)s»") % {"v": value}
            )
            return None
        return int(number) if number.is_integer() else number
    if (
        name in ("kode", "nokkel")
        and isinstance(value, (int, float))
        and not isinstance(value, bool)
    ):
        return str(value)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and name not in NUMBERS:
        return str(value)
    return value


def _locate(place: Place, places: _Places) -> tuple[str, int, str]:
    """The sheet, row and column of a loader problem."""
    column = place.field
    if place.section == 0:
        if column in places.form:
            return FORM, places.form[column], "verdi"
        if column == "seksjoner":
            return SECTIONS, 0, ""
        return FORM, 0, ""
    section = place.section - 1
    if place.option:
        rows = places.options.get((place.section, place.question), [])
        if place.option <= len(rows):
            return OPTIONS, rows[place.option - 1], column if column in COLUMNS[OPTIONS] else ""
    if place.question:
        row = places.questions[section][place.question - 1]
        if column == "alternativer":
            return QUESTIONS, row, "type"
        return QUESTIONS, row, column if column in COLUMNS[QUESTIONS] else ""
    row = places.sections[section]
    if column == "sporsmal":
        return SECTIONS, row, ""
    return SECTIONS, row, column if column in COLUMNS[SECTIONS] else ""
