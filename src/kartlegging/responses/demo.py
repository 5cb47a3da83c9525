"""Invented answers for the demo and for benchmarks at national scale.

The demo's answers come from one coherent profile per organisation
(demo_profiles.yaml beside this file): the facts seed 000 states about Vestfold, the
rest invented but consistent. Colleagues in one municipality give the same facts, except
a few disagreements named in the profile; their opinions vary around the municipality's
profile; free text is put together from short sentences written for that municipality.
The same seed gives the same answers.

Answers go through the same save path as a respondent's (services.save_answers), section
by section as the pages are saved, so they are valid by construction and respect
conditions. Questions no profile covers (another questionnaire, another organisation) get
an invented value from `invent_value`, which the benchmarks use as well.
"""

from __future__ import annotations

import dataclasses
import functools
import random
from pathlib import Path
from typing import Any

import yaml

from kartlegging.questionnaires.answers import parse_answer
from kartlegging.questionnaires.schema import NUMBER_TYPES, VET_IKKE, Question, Questionnaire
from kartlegging.responses.models import Response
from kartlegging.responses.services import open_response, save_answers, submit

PROFILES = Path(__file__).with_name("demo_profiles.yaml")

PHRASES = [
    "Godt samarbeid med hjemmetjenesten, men sårbart ved fravær.",
    "Vi ønsker mer opplæring i forhåndssamtaler.",
    "Kreftkoordinatoren er en viktig brobygger mot sykehuset.",
    "Pasienter uten kreftdiagnose fanges ofte opp sent.",
    "Dokumentasjonen tar mye tid.",
]
SCALE = {4: "stor", 3: "noen", 2: "liten", 1: "ikke"}

# How people who do not hold the facts answer them: numbers they do not know are left
# blank ("La feltet stå tomt om du ikke vet"), and a few optional questions are skipped.
UNKNOWN_NUMBER_SKIP = 0.5
OPTIONAL_FACT_SKIP = 0.08
OPINION_SKIP = 0.04
DONT_KNOW = 0.05  # «Vet ikke» on an opinion
DONT_KNOW_OUTSIDE_OWN_SERVICE = 0.25  # on the opinions listed in vet_ikke_oftere
OPINION_SPREAD = 0.5  # standard deviation around the municipality's mean, on the 1–4 scale
# Share of people who write something in the free-text fields.
WRITES_SUMMARY = 0.85
WRITES_DETAIL = 0.3
WRITES_COMMENT = 0.15


def invent_value(question: Question, rng: random.Random) -> list[str]:
    """Any valid answer to the question (for questions no profile covers, and benchmarks)."""
    if question.is_multiple:
        plain = [o.code for o in question.options if not o.exclusive]
        return rng.sample(plain, k=rng.randint(1, min(3, len(plain))))
    if question.is_choice:
        return [rng.choice(question.options).code]
    if question.type in NUMBER_TYPES:
        low = int(question.min or 0)
        high = int(min(question.max if question.max is not None else low + 100, low + 100))
        return [str(rng.randint(low, max(low, high)))]
    if question.type == "dato":
        return [f"2026-{rng.randint(1, 11):02d}-{rng.randint(1, 28):02d}"]
    return [rng.choice(PHRASES)]


@functools.cache
def profiles() -> dict[str, Any]:
    return yaml.safe_load(PROFILES.read_text(encoding="utf-8"))


def _base_name(questionnaire_key: str) -> str:
    return "helseforetak" if "helseforetak" in questionnaire_key else "kommune"


def profiled_keys(questionnaire_key: str) -> set[str]:
    """The facts the base profile for this questionnaire answers."""
    return set(profiles()[_base_name(questionnaire_key)]["fakta"])


class Profile:
    """One organisation's profile on top of the base profile for its questionnaire."""

    def __init__(self, organisation: str, questionnaire_key: str):
        data = profiles()
        base = data[_base_name(questionnaire_key)]
        own = data["organisasjoner"].get(organisation, {})
        self.facts: dict[str, Any] = {**base["fakta"], **own.get("fakta", {})}
        self.opinions: dict[str, float] = {**base["meninger"], **own.get("meninger", {})}
        self.obstacles: list[str] = base.get("hindringer", [])
        self.base_texts: dict[str, list[str]] = base.get("tekster", {})
        self.own_texts: dict[str, list[str]] = own.get("tekster", {})
        self.disputes: list[dict[str, Any]] = own.get("uenighet", [])
        self.dont_know_prone = set(data["vet_ikke_oftere"])
        self.role_bias: dict[str, dict[str, float]] = data["rolleforskjeller"]
        self.roles: list[dict[str, Any]] = data["roller"]

    def role(self, text: str) -> dict[str, Any]:
        lowered = text.lower()
        for role in self.roles:
            if role["tekst"] in lowered:
                return role
        return {"rolle": "annet", "tjenester": ["annet"]}

    def fact(self, key: str, role_text: str) -> tuple[bool, Any, bool]:
        """(profiled, value, disputed) for this person; a named disagreement wins."""
        lowered = role_text.lower()
        for dispute in self.disputes:
            if dispute["sporsmal"] == key and dispute["rolle"].lower() in lowered:
                return True, dispute["svar"], True
        return key in self.facts, self.facts.get(key), False

    def sentences(self, key: str) -> tuple[list[str], list[str]]:
        return self.own_texts.get(key, []), self.base_texts.get(key, [])


def _raw(value: Any) -> list[str]:
    if isinstance(value, list):
        return [str(v) for v in value]
    return [str(value)]


class _Person:
    def __init__(
        self,
        organisation: str,
        role_text: str,
        questionnaire: Questionnaire,
        rng: random.Random,
        population: int | None,
    ):
        self.organisation = organisation
        self.role_text = role_text
        self.profile = Profile(organisation, questionnaire.key)
        self.role = self.profile.role(role_text)
        self.knows_facts = bool(self.role.get("kjenner_fakta"))
        self.rng = rng
        self.population = population
        # Seeded by organisation and question, so facts no profile covers agree too.
        self.fact_seed = f"{organisation}:{questionnaire.key}"

    def answer(self, question: Question) -> list[str] | None:
        """The raw answer, or None to leave the question blank."""
        key, rng = question.key, self.rng
        if key == "kommunenummer":
            number = self.organisation
            return [number] if number.isdigit() else None
        if key == "innbyggere":
            if self.population is None or (not self.knows_facts and rng.random() < 0.5):
                return None
            return [str(self.population)]
        if key == "respondent_rolle":
            return [self.role["rolle"]]
        if key == "respondent_rolle_annet":
            return [self.role_text] if self.role_text else None
        if key == "hf_rolle":
            return [self.role.get("hf_rolle", "annet")]
        if key == "respondent_tjenester":
            return list(self.role["tjenester"])
        if key == "respondent_erfaring_ar":
            return [str(rng.randint(3, 25))]
        if question.scope == "organisasjon":
            return self._fact(question)
        if question.type == "skala4":
            return self._opinion(question)
        if key == "hjemmedod_hindringer" and self.profile.obstacles:
            return self._obstacles(question)
        if question.type in ("lang_tekst", "kort_tekst"):
            return self._text(question)
        if not question.required and rng.random() < OPINION_SKIP:
            return None
        return invent_value(question, rng)

    def _fact(self, question: Question) -> list[str] | None:
        profiled, value, disputed = self.profile.fact(question.key, self.role_text)
        if not disputed and not question.required and not self.knows_facts:
            skip = UNKNOWN_NUMBER_SKIP if question.type in NUMBER_TYPES else OPTIONAL_FACT_SKIP
            if self.rng.random() < skip:
                return None
        if profiled:
            return None if value is None else _raw(value)
        source = random.Random(f"{self.fact_seed}:{question.key}")  # noqa: S311
        if question.is_choice and any(o.code == VET_IKKE for o in question.options):
            plain = [o for o in question.options if o.code != VET_IKKE]
            question = dataclasses.replace(question, options=tuple(plain))
        return invent_value(question, source)

    def _opinion(self, question: Question) -> list[str] | None:
        rng = self.rng
        if not question.required and rng.random() < OPINION_SKIP:
            return None
        has_dont_know = any(o.code == VET_IKKE for o in question.options)
        prone = question.key in self.profile.dont_know_prone and not self.knows_facts
        chance = DONT_KNOW_OUTSIDE_OWN_SERVICE if prone else DONT_KNOW
        if has_dont_know and not question.required and rng.random() < chance:
            return [VET_IKKE]
        mean = self.profile.opinions.get(question.key, 2.7)
        mean += self.profile.role_bias.get(self.role["rolle"], {}).get(question.key, 0.0)
        step = min(4, max(1, round(mean + rng.gauss(0, OPINION_SPREAD))))
        return [SCALE[step]]

    def _obstacles(self, question: Question) -> list[str] | None:
        rng = self.rng
        if rng.random() < OPINION_SKIP:
            return None
        offered = {o.code for o in question.options}
        pool = [code for code in self.profile.obstacles if code in offered]
        weights = list(range(len(pool), 0, -1))  # the most common first
        chosen: list[str] = []
        for _ in range(min(len(pool), rng.randint(2, 3))):
            pick = rng.choices(pool, weights=weights)[0]
            index = pool.index(pick)
            chosen.append(pool.pop(index))
            weights.pop(index)
        return chosen

    def _text(self, question: Question) -> list[str] | None:
        rng = self.rng
        own, base = self.profile.sentences(question.key)
        if not own and not base:
            return None
        if question.key in ("styrker", "svakheter", "forbedringer"):
            chance = 1.0 if self.knows_facts else WRITES_SUMMARY
        elif question.key == "andre_kommentarer":
            chance = WRITES_COMMENT
        else:
            chance = WRITES_DETAIL
        if rng.random() >= chance:
            return None
        count = 1 if rng.random() < 0.5 else 2
        first = rng.choice(own or base)
        rest = [s for s in own + base if s != first]
        chosen = [first] + (rng.sample(rest, 1) if count == 2 and rest else [])
        return [" ".join(chosen)]


def invent_answers(
    organisation: str,
    role: str,
    questionnaire: Questionnaire,
    rng: random.Random,
    *,
    population: int | None = None,
    sections: int | None = None,
) -> dict[str, list[str]]:
    """A person's raw answers (key → submitted strings), in questionnaire order.

    Only questions shown for the answers given so far are answered, so conditions hold.
    `sections` stops after that many sections (someone who has not finished yet).
    """
    person = _Person(organisation, role, questionnaire, rng, population)
    raw: dict[str, list[str]] = {}
    parsed: dict[str, Any] = {}
    for section in questionnaire.sections[:sections]:
        for question in section.questions:
            if question.key not in questionnaire.visible_keys(parsed):
                continue
            value = person.answer(question)
            if value is None:
                continue
            raw[question.key] = value
            parsed[question.key] = parse_answer(question, value)
    return raw


def respond(
    respondent, questionnaire: Questionnaire, rng: random.Random, *, finish: bool
) -> Response:
    """Open the respondent's response and answer it; submit it when `finish`.

    Someone who has not finished has answered the first few pages only.
    """
    organisation = respondent.organisation
    sections = None if finish else rng.randint(3, max(3, len(questionnaire.sections) // 2))
    raw = invent_answers(
        organisation.number,
        respondent.role,
        questionnaire,
        rng,
        population=organisation.population,
        sections=sections,
    )
    response = open_response(respondent)
    for section in questionnaire.sections:
        keys = {question.key for question in section.questions}
        page = {key: value for key, value in raw.items() if key in keys}
        if page:
            result = save_answers(response, questionnaire, page)
            if result.errors:
                raise ValueError(f"Demo answers refused for {respondent}: {result.errors}")
    if finish and (missing := submit(response, questionnaire)):
        raise ValueError(f"Demo response for {respondent} misses {[q.key for q in missing]}")
    return response
