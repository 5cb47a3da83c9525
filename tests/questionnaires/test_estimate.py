"""The time estimate: computed from the questions a respondent sees, follow-ups only when shown."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from kartlegging.questionnaires.estimate import (
    FLERVALG_PER_OPTION,
    PAGE_SECONDS,
    QUESTION_SECONDS,
    Estimate,
    estimate,
    estimate_minutes,
    estimate_seconds,
    question_seconds,
    reading_seconds,
    to_minutes,
)
from kartlegging.questionnaires.models import load_questionnaire
from kartlegging.questionnaires.schema import parse_questionnaire
from kartlegging.surveys.models import Survey
from tests.conftest import invite

ROOT = Path(__file__).resolve().parents[2]


def questionnaire(body: str):
    return parse_questionnaire("nokkel: t\ntittel: T\nseksjoner:\n" + textwrap.dedent(body))


# One page: a yes/no question (10 s), a follow-up number (30 s) shown on «ja», a free text (60 s).
FOLLOW_UP = questionnaire(
    """\
    - nokkel: a
      tittel: A
      tema: organisering
      sporsmal:
        - {nokkel: finnes, tekst: Finnes det, type: ja_nei}
        - {nokkel: antall, tekst: Hvor mange, type: heltall, vis_hvis: {sporsmal: finnes, er: "ja"}}
        - {nokkel: utdyp, tekst: Utdyp gjerne, type: lang_tekst}
    """
)


def test_each_type_has_its_seconds():
    q = questionnaire(
        """\
        - nokkel: a
          tittel: A
          tema: organisering
          sporsmal:
            - {nokkel: v, tekst: V, type: enkeltvalg, alternativer: [{kode: x, tekst: X}, {kode: y, tekst: Y}]}
            - {nokkel: j, tekst: J, type: ja_nei}
            - {nokkel: s, tekst: S, type: skala4, vet_ikke: true}
            - {nokkel: f, tekst: F, type: flervalg, alternativer: [{kode: x, tekst: X}, {kode: y, tekst: Y}, {kode: z, tekst: Z}]}
            - {nokkel: h, tekst: H, type: heltall}
            - {nokkel: d, tekst: D, type: desimaltall}
            - {nokkel: p, tekst: P, type: prosent}
            - {nokkel: k, tekst: K, type: kort_tekst}
            - {nokkel: l, tekst: L, type: lang_tekst}
            - {nokkel: dt, tekst: Dt, type: dato}
        """
    )
    got = {x.key: question_seconds(x) for x in q.questions}
    assert got == {
        "v": 10, "j": 10, "s": 10, "f": 10 + 3 * FLERVALG_PER_OPTION,
        "h": 30, "d": 30, "p": 30, "k": 45, "l": 60, "dt": 20,
    }  # fmt: skip
    assert QUESTION_SECONDS["lang_tekst"] == 60 and QUESTION_SECONDS["ja_nei"] == 10


def test_a_help_text_adds_its_reading_time_and_an_intro_is_read_once_per_page():
    bare = questionnaire(
        """\
        - {nokkel: a, tittel: A, tema: organisering, sporsmal: [{nokkel: x, tekst: X, type: ja_nei}]}
        """
    )
    helped = questionnaire(
        """\
        - nokkel: a
          tittel: A
          tema: organisering
          introduksjon: Tjue ord her.
          sporsmal:
            - {nokkel: x, tekst: X, type: ja_nei, hjelpetekst: en to tre fire fem seks sju åtte ni ti}
        """
    )
    assert reading_seconds("en to tre fire fem seks sju åtte ni ti") == 3  # 200 words a minute
    assert estimate_seconds(bare) == (PAGE_SECONDS + 10, PAGE_SECONDS + 10)
    assert estimate_seconds(helped)[0] == estimate_seconds(bare)[0] + 3 + reading_seconds(
        "Tjue ord her."
    )


def test_before_any_answer_a_follow_up_is_only_in_the_upper_bound():
    low, high = estimate_seconds(FOLLOW_UP)
    assert low == PAGE_SECONDS + 10 + 60
    assert high == PAGE_SECONDS + 10 + 30 + 60


def test_the_answers_decide_the_follow_up():
    shown = estimate_seconds(FOLLOW_UP, {"finnes": "ja"})
    hidden = estimate_seconds(FOLLOW_UP, {"finnes": "nei"})
    assert shown == (PAGE_SECONDS + 100, PAGE_SECONDS + 100)
    assert hidden == (PAGE_SECONDS + 70, PAGE_SECONDS + 70)


def test_a_respondents_answers_change_the_minutes():
    # Ten yes/no questions, each with a free-text follow-up: 2–12 minutes before any answer.
    body = "- nokkel: a\n  tittel: A\n  tema: organisering\n  sporsmal:\n"
    for n in range(10):
        body += (
            f"    - {{nokkel: q{n}, tekst: Q, type: ja_nei}}\n"
            f"    - {{nokkel: f{n}, tekst: F, type: lang_tekst,"
            f" vis_hvis: {{sporsmal: q{n}, er: 'ja'}}}}\n"
        )
    q = questionnaire(body)
    assert estimate(q) == Estimate(2, 12)
    assert estimate_minutes(q) == 2
    all_yes = {f"q{n}": "ja" for n in range(10)}
    assert estimate_minutes(q, all_yes) == 12
    assert estimate(q, {f"q{n}": "nei" for n in range(10)}) == Estimate(2, 2)
    # Half answered «ja», the rest open: the range narrows, the low end rises.
    assert estimate(q, {f"q{n}": "ja" for n in range(5)}) == Estimate(7, 12)


def test_a_hidden_section_is_not_counted_and_an_unsettled_one_is_in_the_upper_bound():
    q = questionnaire(
        """\
        - {nokkel: a, tittel: A, tema: organisering, sporsmal: [{nokkel: x, tekst: X, type: ja_nei}]}
        - nokkel: b
          tittel: B
          tema: organisering
          vis_hvis: {sporsmal: x, er: "ja"}
          sporsmal:
            - {nokkel: y, tekst: Y, type: lang_tekst}
        """
    )
    assert estimate_seconds(q) == (PAGE_SECONDS + 10, 2 * PAGE_SECONDS + 70)
    assert estimate_seconds(q, {"x": "nei"}) == (PAGE_SECONDS + 10, PAGE_SECONDS + 10)
    assert estimate_seconds(q, {"x": "ja"}) == (2 * PAGE_SECONDS + 70, 2 * PAGE_SECONDS + 70)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, (20, 80)),  # both parts open
        ({"a": "nei"}, (20, 20)),  # settled false by one part
        ({"a": "ja"}, (20, 80)),  # the other part still open
        ({"a": "ja", "b": "ja"}, (80, 80)),
        ({"a": "ja", "b": "nei"}, (20, 20)),
    ],
)
def test_all_of_is_three_valued_in_the_upper_bound(answers, expected):
    q = questionnaire(
        """\
        - nokkel: s
          tittel: S
          tema: organisering
          sporsmal:
            - {nokkel: a, tekst: A, type: ja_nei}
            - {nokkel: b, tekst: B, type: ja_nei}
            - nokkel: c
              tekst: C
              type: lang_tekst
              vis_hvis: {alle: [{sporsmal: a, er: "ja"}, {sporsmal: b, er: "ja"}]}
        """
    )
    assert estimate_seconds(q, answers) == tuple(PAGE_SECONDS + s for s in expected)


@pytest.mark.parametrize(
    ("answers", "expected"),
    [
        ({}, (20, 80)),
        ({"a": "nei"}, (20, 80)),
        ({"a": "ja"}, (80, 80)),
        ({"a": "nei", "b": "nei"}, (20, 20)),
    ],
)
def test_any_of_is_three_valued_in_the_upper_bound(answers, expected):
    q = questionnaire(
        """\
        - nokkel: s
          tittel: S
          tema: organisering
          sporsmal:
            - {nokkel: a, tekst: A, type: ja_nei}
            - {nokkel: b, tekst: B, type: ja_nei}
            - nokkel: c
              tekst: C
              type: lang_tekst
              vis_hvis: {en_av: [{sporsmal: a, er: "ja"}, {sporsmal: b, er: "ja"}]}
        """
    )
    assert estimate_seconds(q, answers) == tuple(PAGE_SECONDS + s for s in expected)


def test_a_follow_up_of_a_follow_up_is_open_while_its_parent_may_be_shown():
    q = questionnaire(
        """\
        - nokkel: s
          tittel: S
          tema: organisering
          sporsmal:
            - {nokkel: a, tekst: A, type: ja_nei}
            - {nokkel: b, tekst: B, type: ja_nei, vis_hvis: {sporsmal: a, er: "ja"}}
            - {nokkel: c, tekst: C, type: lang_tekst, vis_hvis: {sporsmal: b, er: "ja"}}
        """
    )
    assert estimate_seconds(q) == (PAGE_SECONDS + 10, PAGE_SECONDS + 80)
    assert estimate_seconds(q, {"a": "nei"}) == (PAGE_SECONDS + 10, PAGE_SECONDS + 10)
    # A stale answer to a hidden question counts for nothing.
    assert estimate_seconds(q, {"a": "nei", "b": "ja"}) == (PAGE_SECONDS + 10, PAGE_SECONDS + 10)


def test_what_is_left_counts_unanswered_questions_from_the_section_on():
    q = questionnaire(
        """\
        - {nokkel: a, tittel: A, tema: organisering, sporsmal: [{nokkel: x, tekst: X, type: lang_tekst}]}
        - nokkel: b
          tittel: B
          tema: organisering
          sporsmal:
            - {nokkel: y, tekst: Y, type: ja_nei}
            - {nokkel: z, tekst: Z, type: lang_tekst}
        """
    )
    # x skipped on the first page is not work left once the respondent is on page b.
    assert estimate_seconds(q, {"y": "ja"}, left_from="b") == (PAGE_SECONDS + 60, PAGE_SECONDS + 60)
    assert estimate(q, {"y": "ja", "z": "ferdig"}, left_from="b") == Estimate(0, 0)
    assert estimate(q, {"y": "ja"}) == Estimate(2, 2)  # the total still counts every question


def test_minutes_are_rounded_half_up_and_at_least_one():
    assert [to_minutes(s) for s in (1, 29, 30, 89, 90, 0)] == [1, 1, 1, 1, 2, 0]
    tiny = questionnaire(
        "- {nokkel: a, tittel: A, tema: organisering, sporsmal: [{nokkel: x, tekst: X, type: ja_nei}]}\n"
    )
    assert estimate_minutes(tiny) == 1


def test_the_default_questionnaires_are_estimated_from_their_questions():
    def load(name):
        return parse_questionnaire(
            (ROOT / "questionnaires" / f"{name}.yaml").read_text(encoding="utf-8")
        )

    municipal, hospital = load("palliasjon-kommune"), load("palliasjon-helseforetak")
    # The municipal questionnaire has many follow-ups: a wide range, longer than its old
    # static 30 minutes. The hospital's has none.
    assert 30 < estimate(municipal).low < estimate(municipal).high
    assert estimate(hospital).low == estimate(hospital).high
    assert estimate_minutes(municipal) == estimate(municipal).low


# --------------------------------------------------------------------------- the welcome page

MINI = (ROOT / "tests" / "fixtures" / "mini.yaml").read_text(encoding="utf-8")
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def invited_99(db, horten):
    """A respondent of a questionnaire whose file still says 99 minutes."""
    assert "estimert_tid_minutter: 5\n" in MINI
    version, _created = load_questionnaire(
        MINI.replace("estimert_tid_minutter: 5\n", "estimert_tid_minutter: 99\n")
    )
    assert version.definition.minutes == 99
    survey = Survey.objects.create(slug="lang", title="Kartlegging", questionnaire=version)
    survey.organisations.set([horten])
    survey.open()
    return invite(survey, horten)


def answer(client, invited, section, key, value):
    client.post(invited.url(f"del/{section}/"), {"_sporsmal": key, key: [value]}, **HTMX)


def test_the_welcome_page_shows_the_computed_minutes_not_the_files(client, invited_99):
    page = client.get(invited_99.url()).content.decode()
    mini = invited_99.respondent.survey.questionnaire.definition
    assert estimate(mini) == Estimate(3, 4)
    assert "omtrent 3–4 minutter, avhengig av svarene dine" in page
    assert "99" not in page


def test_once_started_the_welcome_page_shows_what_is_left_by_the_answers(client, invited_99):
    client.get(invited_99.url())
    answer(client, invited_99, "bakgrunn", "respondent_rolle", "annet")
    answer(client, invited_99, "organisering", "koord_finnes", "nei")
    page = client.get(invited_99.url()).content.decode()
    mini = invited_99.respondent.survey.questionnaire.definition
    answers = {"respondent_rolle": "annet", "koord_finnes": "nei"}
    left = estimate(mini, answers, left_from="organisering")
    # «Nei» settles the follow-up, so what is left is one figure, smaller than the whole.
    assert left == Estimate(2, 2) and estimate(mini, answers) == Estimate(4, 4)
    assert "det som er igjen fra der du slapp, tar omtrent 2 minutter." in page
    assert "Fortsett der du slapp" in page


def test_with_nothing_left_the_welcome_page_says_so(client, invited_99):
    client.get(invited_99.url())
    for section, key, value in [
        ("kompetanse", "samarbeid_fastlege", "stor"),
        ("kompetanse", "fagdag_dato", "2026-05-04"),
        ("kompetanse", "kompetanse_utdyp", "Ferdig."),
    ]:
        answer(client, invited_99, section, key, value)
    page = client.get(invited_99.url()).content.decode()
    assert "du har svart på alt fra der du slapp" in page
