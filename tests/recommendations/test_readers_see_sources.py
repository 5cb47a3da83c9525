"""Readers see sources, not working notes (issue 13, part 4; DESIGN.md Invariants).

The rules file keeps its verification status and notes for the project leader's
«Kunnskapsgrunnlag» page. The project group's pages, the report (HTML, DOCX, PDF) and the
exports show sources by title, part and link only: no verification note or label, no seed
alias or source id, no «sitert i S4» or «vårt forslag».
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from html.parser import HTMLParser

import pytest
from docx import Document

from kartlegging.recommendations.rules import VERIFICATION, load_rules
from kartlegging.reports.inputs import report_for
from kartlegging.reports.render import to_docx, to_html, to_pdf
from tests.recommendations.conftest import GOOD, answer

pytestmark = pytest.mark.django_db

BASE = "/kartlegginger/vestfold/anbefalinger/"
RULES = load_rules()
NOTES = sorted({rule.verification_note for rule in RULES.rules} - {""})
LABELS = sorted(VERIFICATION.values())
SOURCE_IDS = sorted(RULES.sources)  # N1 … S4
PHRASES = ["sitert i S4", "N3-kopien", "seed", "vårt forslag", "Kunnskapsgrunnlag"]
INTERNAL_ID = re.compile(rf"(?<![\w-])({'|'.join(map(re.escape, SOURCE_IDS))})(?![\w-])")


class _Text(HTMLParser):
    """The text a reader sees in HTML: text nodes and alt texts, not tags or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script"):
            self._skip += 1
        self.parts += [value or "" for name, value in attrs if name in ("alt", "title")]

    def handle_endtag(self, tag):
        if tag in ("style", "script"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def html_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def docx_text(data: bytes) -> str:
    document = Document(io.BytesIO(data))
    return " ".join(
        [p.text for p in document.paragraphs]
        + [c.text for t in document.tables for row in t.rows for c in row.cells]
    )


def working_notes_in(text: str) -> list[str]:
    text = " ".join(text.split())
    found = [f"note: {note[:50]}…" for note in NOTES if note in text]
    found += [f"label: {label}" for label in LABELS if label in text]
    found += [f"phrase: {phrase}" for phrase in PHRASES if phrase.lower() in text.lower()]
    found += [f"id: {m.group(0)} in «…{text[m.start() - 40 : m.end() + 40]}…»"
              for m in INTERNAL_ID.finditer(text)]  # fmt: skip
    return found


@pytest.fixture
def answered(vestfold, municipalities):
    """Deviations on rules whose sources were once cited «sitert i S4» and noted «N3-kopien»."""
    answer(vestfold, municipalities["3907"], "k@sandefjord.example",
           GOOD | {"team_finnes": ["nei"], "palliativt_senter": ["nei"], "enhet_finnes": ["ja"],
                   "enhet_sykepleier_alle_vakter": ["nei"], "enhet_pleiefaktor_dag": ["0,3"],
                   "enhet_legetimer_per_pasient_uke": ["1"], "enhet_lege_nivab": ["nei"],
                   "frivillige_samarbeid": ["nei"], "barn_parorende_rutine": ["nei"],
                   "esas_bruk": ["delvis"], "csnat": ["nei"], "info_nettside": ["nei"]})  # fmt: skip
    return vestfold


def test_the_report_shows_sources_but_no_working_notes(answered):
    report = report_for(answered)
    html = html_text(to_html(report))
    assert working_notes_in(html) == []
    assert "Kilder for anbefalingene" in html
    assert "NOU 2017:16 På liv og død" in html  # sources by full title …
    assert "sitert i Fredrikstad kommunes plan" in html  # … and part, in words for readers
    assert "https://www.helsedirektoratet.no/" in html  # … and link
    assert working_notes_in(docx_text(to_docx(report))) == []
    if shutil.which("pdftotext"):
        pdf = subprocess.run(
            ["pdftotext", "-layout", "-", "-"],
            input=to_pdf(report),
            capture_output=True,
            check=True,
        ).stdout.decode("utf-8")
        assert "Kilder for anbefalingene" in " ".join(pdf.split())
        # pdftotext breaks lines anywhere; join them before looking.
        assert working_notes_in(pdf.replace("-\n", "-")) == []


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_exports_show_sources_but_no_working_notes(as_, answered, fmt):
    reply = as_("gruppe").get(BASE + f"eksport/{fmt}/")
    text = reply.content.decode("utf-8-sig")
    assert working_notes_in(text) == []
    assert "verifisering" not in text
    assert "Vedlegg 1.8" in text and "https://www.helsedirektoratet.no/" in text


@pytest.mark.parametrize("path", ["", "3907/", "region/"])
def test_project_group_pages_show_sources_but_no_working_notes(as_, answered, path):
    reply = as_("gruppe").get(BASE + path)
    assert reply.status_code == 200
    assert working_notes_in(html_text(reply.content.decode())) == []


def test_the_leader_finds_the_notes_on_the_knowledge_page(as_, answered):
    page = html_text(as_("leder").get(BASE + "kunnskapsgrunnlag/").content.decode())
    assert "Kunnskapsgrunnlag" in page
    for rule in RULES.rules:
        assert f"{rule.id} {rule.title}" in page
        assert " ".join(rule.verification_note.split()) in page
    assert "Delvis verifisert" in page and "Verifisert" in page
    assert "Tallene er ikke sett i N3-kopien" in page
    assert "Fredrikstad kommune: Plan for palliative helse- og omsorgstjenester" in page


def test_the_knowledge_page_is_for_the_leader_only(as_, answered):
    assert as_("gruppe").get(BASE + "kunnskapsgrunnlag/").status_code == 403
    assert as_("gruppe").post(BASE + "kunnskapsgrunnlag/", {"lokal-ORG-02": "1"}).status_code == 403
    assert as_("utenfor").get(BASE + "kunnskapsgrunnlag/").status_code == 404
    overview = as_("gruppe").get(BASE).content.decode()
    assert "kunnskapsgrunnlag/" not in overview
    assert "kunnskapsgrunnlag/" in as_("leder").get(BASE).content.decode()
