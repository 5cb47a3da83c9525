"""Invented answers for the demo and for benchmarks at national scale.

Answers go through the same save path as a respondent's (services.save_answers),
so they are valid by construction and respect conditions.
"""

from __future__ import annotations

import random

from kartlegging.questionnaires.schema import NUMBER_TYPES, Question, Questionnaire
from kartlegging.responses.models import Response
from kartlegging.responses.services import open_response, save_answers, submit

PHRASES = [
    "Godt samarbeid med hjemmetjenesten, men sårbart ved fravær.",
    "Vi ønsker mer opplæring i forhåndssamtaler.",
    "Kreftkoordinatoren er en viktig brobygger mot sykehuset.",
    "Pasienter uten kreftdiagnose fanges ofte opp sent.",
    "Dokumentasjonen tar mye tid.",
]


def invent_value(question: Question, rng: random.Random) -> list[str]:
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


# How often a respondent's answer to a fact about their organisation differs from their
# colleagues' (so the disputed-facts page has something to show, as in real fieldwork).
DISAGREEMENT = 0.05


def answer_everything(
    response: Response, questionnaire: Questionnaire, rng: random.Random, skip: float = 0.15
) -> None:
    """Answer visible questions section by section, leaving some optional ones blank.

    Facts about the organisation (scope `organisasjon`) come from a generator seeded by
    organisation and question, so colleagues mostly give the same answer.
    """
    organisation = response.respondent.organisation.number
    population = response.respondent.organisation.population
    for section in questionnaire.sections:
        visible = questionnaire.visible_keys(response.answer_values())
        raw = {}
        for question in section.questions:
            if question.key not in visible:
                continue
            if not question.required and rng.random() < skip:
                continue
            source = rng
            if question.scope == "organisasjon" and rng.random() > DISAGREEMENT:
                source = random.Random(f"{organisation}:{question.key}")  # noqa: S311
            raw[question.key] = invent_value(question, source)
            if question.key == "innbyggere" and population:
                raw[question.key] = [str(population)]  # people type the real number
        if raw:
            save_answers(response, questionnaire, raw)


def respond(
    respondent, questionnaire: Questionnaire, rng: random.Random, *, finish: bool
) -> Response:
    response = open_response(respondent)
    answer_everything(response, questionnaire, rng)
    if finish:
        submit(response, questionnaire)
    return response
