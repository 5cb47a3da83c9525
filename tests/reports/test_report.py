"""The report in its three document forms, with the demo's kind of numbers."""

from __future__ import annotations

import io

import pytest
from docx import Document
from pypdf import PdfReader

from kartlegging.reports.inputs import report_for
from kartlegging.reports.render import to_docx, to_html, to_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def report(two_answers):
    return report_for(two_answers)


def test_report_has_numbered_figures_with_text_alternatives(report):
    titles = [f.title for f in report.figures]
    assert titles[0].startswith("Figur 1. ")
    assert "Hvilken rolle har du? (n = 2)." in " ".join(titles)
    assert all(f.alt and f.rows for f in report.figures)


def test_html_has_figures_as_images_with_alt_and_percent_with_base(report):
    html = to_html(report)
    assert '<img src="data:image/svg+xml;base64,' in html
    assert 'alt="Hvilken rolle har du? (n = 2).' in html
    # Two respondents of Horten disagree on a fact: one organisation, counted as «Ulike svar»
    row = html.split('<th scope="row">Har kommunen kreftkoordinator?</th>')[1].split("</tr>")[0]
    assert "<td>100 % (1)</td>" in row  # under «Ulike svar»
    assert row.endswith("<td>1 organisasjon</td>")
    assert '<th scope="col">Ulike svar</th>' in html
    assert "50 %" in html and "0.5" not in html.split("<body")[1][:20000]


def test_pdf_contains_captions_and_known_percentage(report):
    reader = PdfReader(io.BytesIO(to_pdf(report)))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "Figur 1." in text
    assert "Har kommunen kreftkoordinator?" in text and "1 organisasjon" in text
    assert "50 %" in text
    assert "Side 2 av" in text
    assert "Ø" in text or "ø" in text  # Norwegian characters survive


def test_docx_has_headings_tables_and_figures(report):
    document = Document(io.BytesIO(to_docx(report)))
    headings = [p.text for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert "Sammendrag" in headings and "Vedlegg A: Oppsummering per organisasjon" in headings
    assert len(document.tables) >= 2
    assert len(document.inline_shapes) == len(report.figures) > 0
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(c.startswith("Figur 1. ") for c in captions)


def test_anonymised_report_never_names_the_municipality(two_answers):
    html = to_html(report_for(two_answers, anonymise=True))
    assert "Stor kommune 1" in html
    assert "Horten" not in html


def test_free_text_appears_with_role_but_no_name(report):
    html = to_html(report)
    assert "Vi trenger mer hospitering." in html
    assert "Kari" not in html  # respondents are not named in the report


def test_indicator_heat_map_shows_disputes_until_the_leader_chooses(two_answers):
    from kartlegging.analysis.models import FactChoice

    figure = next(
        f for f in report_for(two_answers).figures if f.caption.startswith("Nøkkelindikatorer")
    )
    assert figure.header == ["Organisasjon", "Kreftkoordinator"]
    assert figure.rows == [["Horten", "Uenige"]]  # one said ja, one said nei
    FactChoice.objects.create(
        survey=two_answers, organisation="3901", question="koord_finnes", value="ja"
    )
    figure = next(
        f for f in report_for(two_answers).figures if f.caption.startswith("Nøkkelindikatorer")
    )
    assert figure.rows == [["Horten", "Ja"]]


def test_leader_choice_is_the_profile_answer_in_the_report(two_answers):
    from kartlegging.analysis.models import FactChoice

    def horten_profile(report):
        section = next(s for s in report.sections if s.title == "Horten")
        return [item for b in section.blocks for item in b.items]

    before = horten_profile(report_for(two_answers))
    assert "Har kommunen kreftkoordinator?: Ja (1); Nei (1)" in before
    FactChoice.objects.create(
        survey=two_answers, organisation="3901", question="koord_finnes", value="nei"
    )
    after = horten_profile(report_for(two_answers))
    assert (
        "Har kommunen kreftkoordinator?: Nei (ulike svar; prosjektleder har valgt dette)" in after
    )


def test_key_indicators_by_size_class_as_grouped_bars(survey, horten):
    from kartlegging.organisations.models import Organisation
    from tests.reports.conftest import answered

    others = [
        Organisation.objects.create(number=n, name=name, kind="kommune", population=p)
        for n, name, p in [
            ("3905", "Tønsberg", 59174),
            ("3907", "Sandefjord", 66231),
            ("1", "Midtre", 9000),
            ("2", "Nordre", 9000),
            ("3", "Søndre", 9000),
        ]
    ]
    survey.organisations.add(*others)
    # Two respondents of Horten say ja: Horten counts once, so 2 of 3 large municipalities;
    # the three medium ones make a second size class to compare with.
    answers = [(horten, "ja"), (horten, "ja"), (others[0], "ja"), (others[1], "nei")]
    answers += [(place, "nei") for place in others[2:]]
    for index, (place, answer) in enumerate(answers):
        answered(
            survey,
            place,
            f"r{index}@k.example",
            {"respondent_rolle": ["kreftkoordinator"], "koord_finnes": [answer]},
        )
    report = report_for(survey)
    section = next(s for s in report.sections if s.title.endswith("etter kommunestørrelse"))
    figure = next(b.figure for b in section.blocks if b.figure)
    assert figure.caption == "Har kommunen kreftkoordinator?, etter kommunestørrelse (n = 6)."
    assert len(figure.header) == 3 and figure.header[2].endswith("(n = 3)")
    assert figure.rows[0] == ["Ja", "0 %", "67 %"]
    assert figure.png.startswith(b"\x89PNG")


def test_the_report_model_runs_no_query(two_answers, django_assert_num_queries):
    from kartlegging.reports.inputs import gather
    from kartlegging.reports.model import build_report

    inputs = gather(two_answers)
    with django_assert_num_queries(0):
        report = build_report(inputs)
        build_report(inputs, anonymise=True)
    assert report.sections and report.figures


def test_the_method_section_gives_the_norwegian_opening_date(two_answers):
    import datetime as dt

    from kartlegging.surveys.models import Survey

    # 23:30 UTC on 31 January is 00:30 on 1 February in Norway.
    opened = dt.datetime(2027, 1, 31, 23, 30, tzinfo=dt.UTC)
    Survey.objects.filter(pk=two_answers.pk).update(opened_at=opened)
    two_answers.refresh_from_db()
    method = next(s for s in report_for(two_answers).sections if s.title == "Metode og svarprosent")
    assert "åpnet 01.02.2027" in method.blocks[0].text


def test_the_report_is_in_the_shape_leaders_expect(two_answers):
    titles = [s.title for s in report_for(two_answers).sections if s.level == 1]
    assert titles[:2] == ["Sammendrag", "Metode og svarprosent"]
    appendices = [t for t in titles if t.startswith("Vedlegg")]
    assert appendices[0] == "Vedlegg A: Oppsummering per organisasjon"
    assert appendices[-1] == f"Vedlegg {chr(64 + len(appendices))}: Spørreskjemaet"
    assert titles.index("Anbefalinger") < titles.index(appendices[0])


def test_free_text_gives_counts_and_a_few_quotes(survey, horten):
    from tests.reports.conftest import answered

    for index in range(8):
        answers = {"respondent_rolle": ["annet"], "koord_finnes": ["ja"]}
        answers["kompetanse_utdyp"] = ["x" * (index + 1)]
        answered(survey, horten, f"f{index}@h.example", answers)
    section = next(s for s in report_for(survey).sections if s.title.endswith("Fritekstsvar"))
    heading = next(b.text for b in section.blocks if "(8 svar)" in b.text)
    assert heading.endswith("(8 svar)")
    quotes = next(b.items for b in section.blocks if b.kind == "bullets")
    assert len(quotes) == 5 and quotes[0].startswith("«xxxxxxxx»")  # the longest first


def test_a_national_survey_is_aggregate_with_the_details_in_the_fact_sheets(two_answers):
    from kartlegging.reports.inputs import gather
    from kartlegging.reports.model import AGGREGATE_ABOVE, build_report

    inputs = gather(two_answers)
    inputs.organisations = inputs.organisations * (AGGREGATE_ABOVE + 1)  # a large county
    report = build_report(inputs)
    profiles = next(s for s in report.sections if s.title.endswith("Oppsummering per organisasjon"))
    assert "faktaark" in profiles.blocks[0].text
    assert not any(s.level == 2 and s.title == "Horten" for s in report.sections)
