"""A question as the respondent's page shows it (templates/questionnaires/_question.html).

In the define stage so the editor's preview and the respondent's page show a question
the same way.
"""

from __future__ import annotations

from typing import Any

from kartlegging.questionnaires.schema import Question


def dom_id(key: str) -> str:
    return key.replace(".", "-")


def question_field(
    question: Question,
    values: list[str],
    error: str,
    version: int,
    hidden: bool,
    prefilled: bool = False,
) -> dict[str, Any]:
    dom = dom_id(question.key)
    options = [
        {"option": o, "id": f"inp-{dom}-{i}", "checked": o.code in values}
        for i, o in enumerate(question.options)
    ]
    return {
        "q": question,
        "dom": dom,
        "value": values[0] if values else "",
        "options": options,
        "first_input_id": options[0]["id"] if options else f"inp-{dom}",
        "error": error,
        "version": version,
        "hidden": hidden,
        "prefilled": prefilled,
        "inputmode": "decimal" if question.type == "desimaltall" else "numeric",
        "trigger": "change" if question.is_choice else "change, input delay:1200ms",
    }
